"""What an input will do, said before it is recorded (issue 13, point 1).

- :func:`previa`: the engine's answer to a trial (:meth:`Repositorio.ensayar`) as the lines the
  TUI's confirmation and ``repse importar --ensayo`` both print: rows accepted and refused with
  the first reasons, the negativa / sin opinión split, how many become positiva, the
  transitions by event.
- :func:`cabecera`: the input itself in words (its round, a complete or partial list, the
  issuer, the date, the reason of an impediment).
- :func:`avisos`: what an operator must read before committing: a date far from the cycle's
  plan, a file whose rows are already recorded, a date before the clock.
- :func:`ronda_esperada`, :func:`tipo_esperado`, :func:`acto_sugerido`, :func:`acto_del_ciclo`:
  what the dialogs propose, from the state.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

import msgspec

from . import importing
from . import inputs as inp
from .api import Respuesta
from .cycle import Ciclo, PlanCiclo, fecha_corta, plan_ciclo
from .errors import PlanError, RepseError
from .etiquetas import ACTOR, ENTRADA, EVENTO, momento, nombre_estado, numero
from .lifecycle import Expediente, Ronda
from .plazos import MX
from .store import Store
from .vista import Vista

PRIMEROS = 5  # refused rows and changed contractors a preview names; the rest are counted
DIAS_LEJOS = 5  # hábil days from its step of the plan beyond which an input's date is warned
MUESTRA = 500  # contractors whose states suggest the act for a selection (a filter's first)

ACTOS_DE_ARCHIVO = ("exhorto", "inicio_cancelacion", "cancelacion", "cancelacion_impedida")
# The IMSS obligation that each round's lists fulfil (the agenda's keys).
RONDA_DE_OBLIGACION: dict[str, Ronda] = {
    "listado_inicial": 1, "listado_segunda": 2, "listado_tercera": 3,
    "actualizacion_diaria": "diaria"}


# --- the trial, in words ------------------------------------------------------------------
class Previa(msgspec.Struct, frozen=True):
    """What recording an input would do, as the engine answered its trial."""

    aceptada: bool
    motivo: str | None  # why it would be refused whole
    aceptadas: int
    rechazadas: int
    primeros_rechazos: tuple[str, ...]
    negativas: int  # rows applied as negativa
    sin_opinion: int  # rows applied as sin opinión
    positivas: int  # procedures that become positiva (those absent from a complete list too)
    transiciones: tuple[tuple[str, int], ...]  # (event and cycle in words, contractors)
    cambios: int  # contractors whose state a recomputation changes
    primeros_cambios: tuple[str, ...]
    opiniones: bool  # an input of opinions: the split is said even when zero
    notas: tuple[str, ...] = ()  # how the file was read (its encoding, separator, sheet)

    def lineas(self) -> list[str]:
        out = ["ENSAYO (aún no se registra):"]
        if self.aceptada:
            out.append(f"Se registraría ACEPTADA: {_filas(self.aceptadas, 'aceptada')}, "
                       f"{_filas(self.rechazadas, 'rechazada')}.")
        else:
            out.append(f"Se registraría RECHAZADA — {self.motivo}")
        out += [f"Leído: {n}" for n in self.notas]
        if self.primeros_rechazos:
            out.append("Primeros rechazos:")
            out += [f"  {r}" for r in self.primeros_rechazos]
            if self.rechazadas > len(self.primeros_rechazos):
                out.append(f"  … y {numero(self.rechazadas - len(self.primeros_rechazos))} "
                           "más")
        if not self.aceptada:
            return out
        if self.opiniones:
            out.append(f"Opiniones: {numero(self.negativas)} negativa, "
                       f"{numero(self.sin_opinion)} sin opinión; pasan a positiva: "
                       f"{numero(self.positivas)}.")
        if self.transiciones:
            out.append("Transiciones por evento:")
            out += [f"  {evento}: {numero(n)}" for evento, n in self.transiciones]
        else:
            out.append("Ninguna transición.")
        if self.cambios:
            out.append(f"El recálculo cambia {numero(self.cambios)} contratistas:")
            out += [f"  {c}" for c in self.primeros_cambios]
            if self.cambios > len(self.primeros_cambios):
                out.append(f"  … y {numero(self.cambios - len(self.primeros_cambios))} más")
        return out


def previa(r: Respuesta) -> Previa:
    """The trial ``r`` (:meth:`Repositorio.ensayar`, or ``importar(..., ensayo=True)``) as a
    preview."""
    por_evento: Counter[str] = Counter()
    transiciones: list[tuple[str, int]] = []
    for d in r.disparos:
        por_evento[d.evento] += d.contratistas
        transiciones.append((f"{EVENTO.get(d.evento, d.evento)} ({d.ciclo or 'registro'})",
                             d.contratistas))
    return Previa(
        r.aceptada, r.motivo, r.aceptadas if r.aceptada else 0, len(r.rechazos),
        tuple(x.descripcion() for x in r.rechazos[:PRIMEROS]),
        por_evento["opinion_negativa"], por_evento["opinion_sin_opinion"],
        por_evento["opinion_positiva"], tuple(transiciones), len(r.cambios),
        tuple(f"{c.rfc}: {nombre_estado(c.antes)} → {nombre_estado(c.despues)}"
              for c in r.cambios[:PRIMEROS]),
        r.tipo == "opiniones", tuple(r.notas))


def _filas(n: int, que: str) -> str:
    return f"{numero(n)} {'fila' if n == 1 else 'filas'} {que if n == 1 else que + 's'}"


# --- the input, in words ------------------------------------------------------------------
def nombre_ronda(ronda: Ronda) -> str:
    """«ronda 1», «ronda 2 (segunda consulta)», «actualización diaria»."""
    return Expediente.rondas[ronda].nombre


LISTA_COMPLETA = "Lista completa: quien no figura queda positiva"
LISTA_PARCIAL = "Lista parcial: solo cambian quienes figuran"


def cabecera(tipo: str, *, ciclo: str | None, at: datetime, archivo: str | Path | None = None,
             ronda: Ronda | None = None, completo: bool = False, motivo: str | None = None,
             hoja: str | None = None, retroactivo: bool = False,
             usuario: str | None = None) -> list[str]:
    """An input in words, as its confirmation shows it: what, which round and whether the list
    is complete, the cycle, the date, the issuer, the reason of an impediment."""
    que = ENTRADA.get(tipo, tipo)
    if ronda is not None:
        que += f", {nombre_ronda(ronda)}"
    out = []
    if archivo is not None:
        out.append(f"Archivo: {archivo}" + (f" (hoja «{hoja}»)" if hoja else ""))
    out.append(f"Tipo: {que}")
    if tipo == "opiniones":
        out.append(LISTA_COMPLETA if completo else LISTA_PARCIAL)
    if ciclo:
        out.append(f"Ciclo: {ciclo}")
    out.append(f"Fecha efectiva: {momento(at)}" + (" (retroactiva)" if retroactivo else ""))
    emisor = ACTOR.get(inp.emisor(tipo), inp.emisor(tipo)) if tipo in inp.ACTORES else None
    if emisor:
        out.append(f"Emite: {emisor}" + (f" · registra: {usuario}" if usuario else ""))
    if motivo:
        out.append(f"Motivo: {motivo}")
    return out


# --- warnings before committing -----------------------------------------------------------
def avisos(vista: Vista | None, tipo: str, *, ciclo: str | None, at: datetime,
           ronda: Ronda | None = None, retroactivo: bool = False,
           repetida: Sequence[str] = (), leido: Sequence[str] = ()) -> list[str]:
    """What an operator must read before recording: a date before the clock (and what marking
    it «retroactivo» does), a date far from its step of the cycle's plan, a file already
    recorded (``repetida``: :func:`ya_registrada`'s lines), a file whose name or sheet names
    another round (``leido``: the file's name and how the reader read it)."""
    out = list(repetida)
    otra = _otra_ronda(tipo, ronda, leido)
    if otra:
        out.append(otra)
    reloj = vista.reloj if vista is not None else None
    if retroactivo and reloj is not None and at < reloj:
        out.append(f"Retroactiva: fechada el {momento(at)}, antes del reloj ({momento(reloj)}). "
                   "El historial se recalcula desde esa fecha: cambian los estados, plazos y "
                   "transiciones posteriores que dependan de ella.")
    if vista is not None and ciclo is not None:  # a report period has no cycle plan
        lejos = _lejos_del_plan(vista, tipo, ciclo, at, ronda)
        if lejos:
            out.append(lejos)
    return out


_RONDA_NOMBRADA = re.compile(r"ronda[\s_.-]*([1-3])(?!\d)", re.IGNORECASE)


def _otra_ronda(tipo: str, ronda: Ronda | None, leido: Sequence[str]) -> str | None:
    """A list of round 2 imported as round 1 would make its contractors positiva: when the
    file's name or its sheet says «ronda N» and N is not the round chosen, say so."""
    if tipo != "opiniones" or not isinstance(ronda, int):
        return None
    for texto in leido:
        llano = unicodedata.normalize("NFKD", texto).encode("ascii", "ignore").decode()
        dichas = {int(n) for n in _RONDA_NOMBRADA.findall(llano)}
        if dichas and ronda not in dichas:
            return (f"Otra ronda: «{texto}» dice ronda {min(dichas)} y se importa como ronda "
                    f"{ronda}; compruebe la ronda antes de registrar")
    return None


def _plan(vista: Vista, ciclo: str) -> PlanCiclo | None:
    """The cycle's plan with what happened: D0 as a criterion left it, the exhorto's date."""
    try:
        c = Ciclo.parse(ciclo)
    except RepseError:
        return None
    d0, exhorto = c.fecha_consulta, None
    if ciclo in vista.ciclos:
        d0 = vista.fecha_consulta(ciclo)
        hechos = [o.cumplida_en.date() for o in vista.agenda(ciclo)
                  if o.clave == "exhorto" and o.cumplida_en is not None]
        exhorto = min(hechos) if hechos else None
    try:
        return plan_ciclo(c, vista.calendario, fecha_consulta=d0, exhorto=exhorto)
    except PlanError:
        return None


def _paso(plan: PlanCiclo, tipo: str, ronda: Ronda | None) -> tuple[str, date, bool] | None:
    """The plan's step an input fulfils: its name, its date, and whether it may come any time
    after it (a daily update, the cancellation of a suspended procedure)."""
    pasos: dict[tuple[str, Ronda | None], tuple[str, date, bool]] = {
        ("opiniones", 1): ("la opinión de la ronda 1 (D0)", plan.fecha_consulta, False),
        ("exhorto", None): ("el límite para enviar el exhorto", plan.limite_exhorto.date(),
                            False),
        ("opiniones", 2): ("la segunda consulta (D2)", plan.segunda_consulta, False),
        ("inicio_cancelacion", None): ("la segunda consulta (D2), desde la que se inicia la "
                                       "cancelación", plan.segunda_consulta, False),
        ("opiniones", 3): ("la tercera consulta (D3)", plan.tercera_consulta, False),
        ("cancelacion", None): ("la tercera consulta (D3), el día de la cancelación",
                                plan.tercera_consulta, True),
        ("cancelacion_impedida", None): ("la tercera consulta (D3), el día de la cancelación",
                                         plan.tercera_consulta, True),
        ("opiniones", "diaria"): ("la tercera consulta (D3), tras la que empiezan las "
                                  "actualizaciones diarias", plan.tercera_consulta, True),
    }
    return pasos.get((tipo, ronda if tipo == "opiniones" else None))


def _lejos_del_plan(vista: Vista, tipo: str, ciclo: str, at: datetime,
                    ronda: Ronda | None) -> str | None:
    plan = _plan(vista, ciclo)
    paso = _paso(plan, tipo, ronda) if plan is not None else None
    if plan is None or paso is None:
        return None
    nombre, dia, abierto = paso
    conjunto = vista.calendario.conjunto()
    desde = conjunto.add_working_days(dia, -DIAS_LEJOS)
    hasta = conjunto.add_working_days(dia, DIAS_LEJOS)
    hoy = at.date()
    if desde <= hoy and (abierto or hoy <= hasta):
        return None
    dias = abs((hoy - dia).days)
    cuando = "antes" if hoy < dia else "después"
    return (f"Fecha lejos del plan del ciclo {ciclo}: {nombre} es el {fecha_corta(dia)}; "
            f"esta entrada se fecha el {fecha_corta(hoy)}, {numero(dias)} días naturales "
            f"{cuando} (más de {DIAS_LEJOS} días hábiles). Revise la fecha, el ciclo y la "
            "ronda.")


# --- a file already recorded --------------------------------------------------------------
class _Cabecera(msgspec.Struct):
    """What choosing the inputs to compare needs of a stored body."""

    tipo: str
    at: datetime
    archivo: str | None = None


_cabecera = msgspec.json.Decoder(_Cabecera)


def _contenido(filas: Iterable[object]) -> str:
    """The rows of a file (RFC, opinion or padrón data and the row each came from) as a hash:
    the same rows delivered again hash the same, whatever the date, round or name given."""
    return hashlib.sha256(msgspec.json.encode(list(filas))).hexdigest()


def _filas_de(entrada: inp.Entrada) -> list[object] | None:
    if isinstance(entrada, inp.Padron):
        return list(entrada.contratistas)
    if isinstance(entrada, inp.Opiniones):
        return list(entrada.resultados)
    rfcs = getattr(entrada, "rfcs", None)
    if rfcs is None:
        return None
    filas = getattr(entrada, "filas", None) or range(1, len(rfcs) + 1)
    return [importing.FilaRfc(r, f) for r, f in zip(rfcs, filas, strict=False)]


def ya_registrada(store: Store, tipo: str, archivo: str | Path, hoja: str | None = None
                  ) -> list[str]:
    """The accepted inputs of type ``tipo`` that hold the very rows of ``archivo`` (the same
    file recorded before, under any date, round or name), one line each; none when the file
    cannot be read (its trial says why)."""
    try:
        propias = _contenido(importing.leer(tipo, archivo, hoja=hoja).filas)
    except RepseError:
        return []
    out = []
    for n, cuerpo in store.aceptadas():
        try:
            head = _cabecera.decode(cuerpo)
        except (msgspec.DecodeError, msgspec.ValidationError):
            continue
        if head.tipo != tipo or head.archivo is None:
            continue
        try:
            filas = _filas_de(inp.decode(cuerpo, n))
        except inp.InputError:
            continue
        if filas is not None and _contenido(filas) == propias:
            out.append(f"Archivo ya registrado: las mismas filas son la entrada {n} "
                       f"({ENTRADA.get(tipo, tipo)} de «{head.archivo}», "
                       f"{momento(head.at.astimezone(MX))}). Si lo registra otra vez, "
                       "sus filas se aplican de nuevo.")
    return out


# --- what the dialogs propose -------------------------------------------------------------
def ronda_esperada(vista: Vista | None, ciclo: str) -> Ronda | None:
    """The round whose lists the cycle's contractors are awaiting: among the rounds with
    someone in the state that awaits them, that of the IMSS obligation due first and not yet
    met; else the one awaited by the most. None: no round is awaited."""
    if vista is None or ciclo not in vista.ciclos:
        return None
    conteos = vista.conteos(ciclo)
    esperan = {r: conteos.get(c.espera, 0) for r, c in Expediente.rondas.items()}
    for o in vista.agenda(ciclo):
        r = RONDA_DE_OBLIGACION.get(o.clave)
        if r is not None and esperan[r] and o.estado in ("pendiente", "vencida"):
            return r
    r, n = max(esperan.items(), key=lambda kv: kv[1])
    return r if n else None


def tipo_esperado(vista: Vista | None, ciclo: str) -> str:
    """The file the state asks for next: the padrón of a cycle not yet opened, the lists of
    a round awaited, else the act that most of the cycle's contractors can receive."""
    if vista is None or ciclo not in vista.ciclos:
        return "padron"
    if ronda_esperada(vista, ciclo) is not None:
        return "opiniones"
    return acto_del_ciclo(vista, ciclo) or "padron"


def acto_del_ciclo(vista: Vista | None, ciclo: str) -> str | None:
    """The act that most of the cycle's procedures can receive now (None: none can)."""
    if vista is None or ciclo not in vista.ciclos:
        return None
    actos: Counter[str] = Counter()
    for estado, n in vista.conteos(ciclo).items():
        if n and (acto := acto_para(estado)) is not None:
            actos[acto] += n
    return actos.most_common(1)[0][0] if actos else None


def acto_para(estado: str | None) -> str | None:
    """The act a procedure in ``estado`` can receive next: the chart's first transition out of
    it that an act carries (Señalado → exhorto, Por iniciar cancelación → inicio de la
    cancelación, Por cancelar → cancelación)."""
    for desde, evento, _ in Expediente.transiciones():
        if desde == estado and Expediente.entradas.get(evento) in ACTOS_DE_ARCHIVO:
            return Expediente.entradas[evento]
    return None


def acto_sugerido(vista: Vista | None, rfcs: Sequence[str]) -> str | None:
    """The act most of ``rfcs`` can receive, by their states (the first :data:`MUESTRA` of a
    long selection: a filter leaves contractors of one state)."""
    if vista is None:
        return None
    estados = (vista.estado(rfc) for rfc in rfcs[:MUESTRA])
    actos = Counter(a for e in estados if e is not None and (a := acto_para(e.estado)))
    return actos.most_common(1)[0][0] if actos else None
