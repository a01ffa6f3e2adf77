"""The input handlers: what each type of input does to the state, and the record of it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from .. import inputs as inp
from ..calendars import Calendarios, DatosCalendario
from ..cycle import DIAS_AUDIENCIA, DIAS_EXHORTO, DIAS_REGULARIZACION
from ..errors import Aviso, Rechazo
from ..lifecycle import CAUSAS, Expediente, Registro
from ..plazos import MX, habil_plazo_end, natural_plazo_end, next_habil_day
from ..rfc import check_rfc_batch, normalize_rfc
from ..table import REGISTRO
from .columnas import EXP, OPINION_CODE, REG, REG_TABLE, CambioFechaConsulta, CicloEstado
from .estado import COLUMNAS_REGISTRO, Lote, Nota, causa
from .filas import (
    EnCurso,
    aviso,
    premature,
    premature_mask,
    refuse_not_allowed,
    resolve,
    state_reason,
)
from .reloj import Reloj, by_day
from .tiempo import (
    DIAS_REQUERIMIENTO,
    DIAS_RESOLVER,
    TERM_YEARS,
    add_months,
    aniversario,
    dia,
    epoch,
    fecha,
    instant,
    ventana_renovacion,
)


@dataclass(frozen=True)
class Desenlace:
    """Everything applying one input did (sismic's ``MacroStep``): each batch it fired, itself
    or the clock during it, the rows it refused and its warnings."""

    numero: int
    tipo: str
    at: int
    aceptadas: int
    lotes: tuple[Lote, ...]
    rechazos: tuple[Rechazo, ...]
    avisos: tuple[Aviso, ...]

    @property
    def transiciones(self) -> int:
        return sum(len(lote.idx) for lote in self.lotes)


class EntradaRechazada(Exception):
    """The whole input is refused (nothing of it applies)."""


class Entradas(Reloj):
    """The engine's state, its clock, and what each type of input does to them."""

    membrete: inp.Membrete | None = None  # the documents' data block in force (no contractor's)

    def aplicar(self, entrada: inp.Entrada, numero: int) -> Desenlace:
        """Apply one input in effective-time order and report what it did. Raises
        :class:`EntradaRechazada` when the whole input no longer fits (its cycle is not open:
        its padrón was annulled); then nothing changed.

        The API has already decided the whole-input checks (actor, clock order, the present):
        the engine only ever sees inputs it accepted, or a replay of them in time order."""
        assert inp.check_actor(entrada) is None, "the API refuses an input from the wrong actor"
        t = epoch(entrada.at)
        assert t >= self.reloj, "the API refuses a late input; a replay runs in time order"
        start = len(self.lotes)
        result = EnCurso()
        self._precheck(entrada)
        self.avanzar(t, numero)
        # From here on the input is accepted (the clock moved): handlers refuse rows, never
        # the whole input, so that memory and the log always agree.
        match entrada:
            case inp.Reloj():
                result.aceptadas = 1
            case inp.CalendarioVigente():
                self._on_calendario(entrada, result)
            case inp.Padron():
                self._on_padron(entrada, result, numero)
            case inp.Opiniones():
                self._on_opiniones(entrada, result, numero)
            case inp.Exhorto():
                self._on_exhorto(entrada, result, numero)
            case inp.InicioCancelacion():
                self._on_inicio_cancelacion(entrada, result, numero)
            case inp.Cancelacion():
                self._on_cancelacion(entrada, result, numero)
            case inp.CancelacionImpedida():
                self._on_cancelacion_impedida(entrada, result, numero)
            case inp.Criterio():
                self._on_criterio(entrada, result, numero)
            case inp.Manifestacion():
                self._on_manifestacion(entrada, result, numero)
            case inp.CancelacionRegistro():
                self._on_cancelacion_registro(entrada, result, numero)
            case inp.Renovacion():
                self._on_renovacion(entrada, result, numero)
            case inp.Declaraciones():
                self.on_declaraciones(entrada, result, numero)
            case inp.Multa():
                self.on_multa(entrada, result, numero)
            case inp.InformeStps():
                self.on_informe_stps(entrada, result, numero)
            case inp.Membrete():
                self.membrete = entrada
                result.aceptadas = 1
            case _:  # an annulment is applied by replaying the log without its target
                raise AssertionError(f"the engine does not apply «{inp.tipo(entrada)}»")
        self.declaraciones_al_dia(t)  # the contractors and registrations it changed
        self.rechazos.extend(result.rechazos)
        self.aceptadas[numero] = result.aceptadas
        return Desenlace(numero, inp.tipo(entrada), t, result.aceptadas,
                         tuple(self.lotes[start:]), tuple(result.rechazos), tuple(result.avisos))

    def _precheck(self, entrada: inp.Entrada) -> None:
        """Whole-input checks that depend on the state; they pass before the clock moves."""
        # The cycle was decoded once at the boundary (inputs.Ciclo): here only whether it is open.
        ciclo = getattr(entrada, "ciclo", None)
        if ciclo is not None and not isinstance(entrada, inp.Padron) \
                and str(ciclo) not in self.ciclos:
            raise EntradaRechazada(f"el ciclo {ciclo} no se ha abierto: falta su padrón")
        filas, rfcs = getattr(entrada, "filas", None), getattr(entrada, "rfcs", None)
        if filas is not None and rfcs is not None and len(filas) != len(rfcs):
            raise EntradaRechazada("«filas» y «rfcs» deben tener la misma longitud")
        if isinstance(entrada, inp.Criterio):
            self._precheck_criterio(entrada)
        if motivo := self.precheck_periodo(entrada):
            raise EntradaRechazada(motivo)

    def _on_calendario(self, entrada: inp.CalendarioVigente, result: EnCurso) -> None:
        self.cal = Calendarios(DatosCalendario(entrada.cierre, entrada.revisado),
                               entrada.politicas)
        result.aceptadas = 1
        # A newly published closure changes the running plazos from now on; a policy, the
        # renewal windows not yet open.
        for c in self.ciclos.values():
            self._recompute_plazos(c)
        self._ventanas(np.arange(len(self.rfcs)))
        for state, dias in (("registro_en_renovacion", DIAS_RESOLVER),
                            ("registro_requerido", DIAS_REQUERIMIENTO)):
            running = np.flatnonzero(self.registro == REG[state])
            self._set_resolucion(running, self.resolucion_desde[running], dias)

    def _recompute_plazos(self, c: CicloEstado) -> None:
        today = dia(instant(self.reloj))
        exh = np.flatnonzero((c.estado == EXP["exhortado"])
                             | ((c.estado == EXP["segunda_consulta"])
                                & (c.dia_segunda_consulta > today)))
        for notified, positions in by_day(c.exhorto_notificado_en, exh):
            self._set_regularizacion(c, positions, notified)
        aud = np.flatnonzero((c.estado == EXP["en_cancelacion"])
                             | ((c.estado == EXP["tercera_consulta"])
                                & (c.dia_tercera_consulta > today)))
        for notified, positions in by_day(c.cancelacion_iniciada_en, aud):
            self._set_audiencia(c, positions, notified)

    def _on_padron(self, entrada: inp.Padron, result: EnCurso, numero: int) -> None:
        self.contratistas_propios()  # it refreshes and adds contractors in place
        ciclo = entrada.ciclo
        c = self.ciclos.get(str(ciclo))
        rows = entrada.contratistas
        rfcs, errors, avisos = check_rfc_batch([r.rfc for r in rows])
        today = dia(entrada.at)
        starts = np.fromiter((r.fecha_registro.toordinal() for r in rows), np.int32, len(rows))
        vences_arr = add_months(starts, 12 * TERM_YEARS)
        if (not errors and not any(map(self.index.__contains__, rfcs))
                and len(set(rfcs)) == len(rfcs) and not (vences_arr <= today).any()
                and not (starts > today).any() and all(r.razon_social.strip() for r in rows)):
            # The common case of a first padrón: every row is new and valid.
            new_rows = list(range(len(rows)))
            member_ids: list[int] = []
            result.avisos.extend(aviso(numero, "padron", entrada.archivo, rows[k].fila, k,
                                       rfcs[k], texto) for k, texto in sorted(avisos.items()))
        else:
            new_rows, member_ids = self._padron_rows(entrada, result, numero, c, rfcs, errors,
                                                     avisos, starts, vences_arr.tolist(), today)
        self._add_contractors([rows[k] for k in new_rows], [rfcs[k] for k in new_rows],
                              starts[new_rows])
        member_ids.extend(self.index[rfcs[k]] for k in new_rows)
        if c is None:
            c = self.ciclos[str(ciclo)] = CicloEstado(ciclo)
            c.padron_recibido_en = epoch(entrada.at)
            if not self.cal.conjunto().es_habil(ciclo.fecha_consulta):
                result.avisos.append(Aviso(numero, "padron", None, (
                    f"La fecha de consulta {ciclo.fecha_consulta} no es día hábil: se mantiene "
                    "(numeral 1).")))
        c.grow_index(len(self.rfcs))
        for other in self.ciclos.values():
            other.grow_index(len(self.rfcs))
        ids = np.array(member_ids, dtype=np.int32)
        positions = c.add(ids)
        self._fire(c, positions, "padron_recibido", epoch(entrada.at), numero)
        result.aceptadas = len(ids)

    def _padron_rows(self, entrada: inp.Padron, result: EnCurso, numero: int,
                     c: CicloEstado | None, rfcs: list[str], errors: dict[int, str],
                     avisos: dict[int, str], starts: np.ndarray, vences: list[int], today: int
                     ) -> tuple[list[int], list[int]]:
        """Row by row: (rows of new contractors, ids of known ones), refusing the rest."""
        rows = entrada.contratistas
        cancelled = REG["registro_cancelado"]
        registro = self.registro
        new_rows: list[int] = []
        member_ids: list[int] = []
        seen: dict[str, int] = {}
        for k, (row, rfc) in enumerate(zip(rows, rfcs, strict=True)):
            motivo = errors.get(k)
            i = self.index.get(rfc)
            if motivo is None and rfc in seen:
                motivo = f"RFC repetido en el padrón (ya en la fila {seen[rfc]})"
            if motivo is None and c is not None and i is not None and i < len(c.posicion_de) \
                    and c.posicion_de[i] >= 0:
                motivo = f"ya está en el padrón del ciclo {c.nombre}"
            if motivo is None and i is not None and registro[i] == cancelled:
                motivo = ("su registro REPSE está cancelado: no puede estar en el padrón "
                          "vigente")
            vence = vences[k]
            if motivo is None and vence <= today:
                motivo = (f"la vigencia de tres años terminó el {fecha(vence - 1)} (fecha de "
                          f"registro {row.fecha_registro:%d-%m-%Y}): el padrón solo incluye "
                          "registros vigentes; corrija la fecha o registre la renovación")
            if motivo is None and starts[k] > today:
                motivo = f"fecha de registro futura: {row.fecha_registro:%d-%m-%Y}"
            if motivo is None and not row.razon_social.strip():
                motivo = "falta la razón social"
            if motivo:
                result.rechazos.append(Rechazo(numero, "padron", rfc, motivo,
                                               entrada.archivo, row.fila))
                continue
            seen[rfc] = row.fila if row.fila is not None else k + 1
            if k in avisos:
                result.avisos.append(aviso(numero, "padron", entrada.archivo, row.fila, k, rfc,
                                           avisos[k]))
            if i is None:
                new_rows.append(k)
            else:
                self._refresh(i, row)
                member_ids.append(i)
        return new_rows, member_ids

    def _refresh(self, i: int, row: inp.FilaPadron) -> None:
        """A padrón is the current truth about a registration: newer data replaces older."""
        self.razon_social[i] = row.razon_social.strip()
        self.folio[i] = row.folio.strip()
        self.correo[i] = row.correo
        self.domicilio[i] = row.domicilio
        start = row.fecha_registro.toordinal()
        if start > self.fecha_registro[i]:  # a renewal recorded by STPS outside this system
            self.fecha_registro[i] = start
            self.vence[i] = aniversario(row.fecha_registro)
            self._ventanas(np.array([i]))

    def _add_contractors(self, rows: Sequence[inp.FilaPadron], rfcs: Sequence[str],
                         starts: np.ndarray) -> None:
        start = len(self.rfcs)
        for k, rfc in enumerate(rfcs):
            self.index[rfc] = start + k
        self.rfcs.extend(rfcs)
        self.razon_social.extend(r.razon_social.strip() for r in rows)
        self.folio.extend(r.folio.strip() for r in rows)
        self.correo.extend(r.correo for r in rows)
        self.domicilio.extend(r.domicilio for r in rows)
        nuevas = {"fecha_registro": starts, "vence": add_months(starts, 12 * TERM_YEARS),
                  "registro": np.full(len(rows), REG["registro_vigente"], np.int8)}
        for name in COLUMNAS_REGISTRO:
            old = getattr(self, name)
            extra = nuevas.get(name, np.zeros(len(rows), old.dtype))
            setattr(self, name, np.concatenate([old, extra.astype(old.dtype)]))
        self._ventanas(np.arange(start, len(self.rfcs)))

    def _on_opiniones(self, entrada: inp.Opiniones, result: EnCurso, numero: int) -> None:
        c = self.ciclos[str(entrada.ciclo)]
        ronda = entrada.ronda
        consulta = Expediente.rondas[ronda]
        esperado = consulta.espera
        t = epoch(entrada.at)
        today = dia(entrada.at)
        rows = entrada.resultados
        rfcs = [r.rfc for r in rows]
        filas = [r.fila for r in rows]
        positions, kept = resolve(self.index, entrada, result, numero, c, rfcs, filas)
        early = premature(c, positions, ronda, today)
        ok = np.ones(len(positions), dtype=bool)
        for j, (p, k) in enumerate(zip(positions.tolist(), kept, strict=True)):
            reason = early.get(p)
            if reason is None and c.estado[p] != EXP[esperado]:
                reason = state_reason(c, p, f"una opinión de la {consulta.nombre}",
                                            esperado)
            if reason:
                ok[j] = False
                result.rechazos.append(Rechazo(numero, "opiniones", normalize_rfc(rfcs[k]),
                                               reason, entrada.archivo, filas[k]))
        positions = positions[ok]
        kept = [k for k, good in zip(kept, ok.tolist(), strict=True) if good]
        # The rows of the list accepted (a complete list also moves the absent, below).
        result.aceptadas = len(kept)
        codes = np.array([OPINION_CODE[rows[k].opinion] for k in kept], dtype=np.int8)
        if entrada.completo:
            # IMSS deposits the Negativa and Sin opinión lists: everyone awaiting this round
            # and absent from them is positiva (Mecanismo, numeral 1: IMSS deposits only the
            # negative lists).
            awaiting = np.flatnonzero(c.estado == EXP[esperado])
            awaiting = awaiting[~premature_mask(c, awaiting, ronda, today)]
            listed = np.zeros(len(c.estado), dtype=bool)
            listed[positions] = True
            absent = awaiting[~listed[awaiting]]
            positions = np.concatenate([positions, absent.astype(np.int32)])
            codes = np.concatenate([codes, np.full(len(absent), OPINION_CODE["positiva"],
                                                   np.int8)])
        received = c.consulta_recibida(ronda)
        if received is not None:
            received[positions] = t
        if ronda == 1:
            c.opinion_ronda1[positions] = codes
            flagged = positions[codes != OPINION_CODE["positiva"]]
            # The window counts from the day the opinions were obtained, never before D0 (as a
            # criterion may have moved it): the exhorto cites D0 as the consultation date.
            desde = max(date.fromordinal(c.d0), entrada.at.date())
            due = habil_plazo_end(desde, DIAS_EXHORTO, self.cal.conjunto())
            c.limite_exhorto[flagged] = due.toordinal()
        if ronda == "diaria":
            c.actualizaciones_diarias.append(t)
        c.opinion[positions] = codes
        for name, code in OPINION_CODE.items():
            if name:
                self._fire(c, positions[codes == code], Expediente.opiniones[name], t, numero)
        if ronda == 3:
            # STPS cancels the same day as the third consultation (numeral 6).
            bad = positions[codes != OPINION_CODE["positiva"]]
            c.limite_cancelacion[bad] = today
        if self.cal.politicas.opinion_actualiza_suspendidos:
            self._actualiza_suspendidos(c, positions, codes, consulta.nombre, t, numero)

    def _actualiza_suspendidos(self, c: CicloEstado, positions: np.ndarray, codes: np.ndarray,
                               ronda: str, t: int, numero: int) -> None:
        """Policy ``opinion_actualiza_suspendidos``: the opinion of a contractor in cycle ``c``
        is the same fact, at the same date, as the daily update of its suspended procedure of
        every earlier cycle; a positiva regularizes it. It is that cycle's deposit of the day
        only if it reached the day's whole universe."""
        ids = c.contratista[positions]
        today = dia(instant(t))
        suspendida = EXP["cancelacion_suspendida"]
        nota = (f"Opinión de la {ronda} del ciclo {c.nombre}: es también la actualización "
                "diaria de este expediente (política opinion_actualiza_suspendidos)")
        for e in self.ciclos.values():
            if e.ciclo >= c.ciclo:
                continue
            where = e.positions_of(ids)
            hit = where >= 0
            hit[hit] = e.estado[where[hit]] == suspendida
            if not hit.any():
                continue
            pe, ce = where[hit], codes[hit]
            universe = np.flatnonzero((e.estado == suspendida) & (e.suspendida_desde < today))
            if len(universe) and np.isin(universe, pe).all():
                e.actualizaciones_diarias.append(t)
            e.opinion[pe] = ce
            for name, code in OPINION_CODE.items():
                if name:
                    self._fire(e, pe[ce == code], Expediente.opiniones[name], t, numero,
                               nota=nota)

    def _rfc_act(self, entrada: inp._ActoRfcs, result: EnCurso, numero: int, event: str,
                 accion: str, esperado: str) -> tuple[CicloEstado, np.ndarray]:
        c = self.ciclos[str(entrada.ciclo)]
        filas = list(entrada.filas) if entrada.filas else [None] * len(entrada.rfcs)
        positions, rows = resolve(self.index, entrada, result, numero, c, entrada.rfcs, filas)
        positions, rows = refuse_not_allowed(
            entrada, result, numero, c, positions, rows, entrada.rfcs, filas, event,
            lambda p: state_reason(c, p, accion, esperado))
        result.aceptadas = len(positions)
        return c, positions

    def _on_exhorto(self, entrada: inp.Exhorto, result: EnCurso, numero: int) -> None:
        c, positions = self._rfc_act(entrada, result, numero, "exhorto_notificado",
                                     "el exhorto", "senalado")
        c.exhorto_notificado_en[positions] = epoch(entrada.at)
        self._set_regularizacion(c, positions, entrada.at.astimezone(MX).date())
        self._fire(c, positions, "exhorto_notificado", epoch(entrada.at), numero)

    def _set_regularizacion(self, c: CicloEstado, positions: np.ndarray, notified: date
                            ) -> None:
        """The 30-day plazo of everyone notified on one day (numeral 2), and their D2."""
        conjunto = self.cal.conjunto()
        last = natural_plazo_end(notified, DIAS_REGULARIZACION, conjunto,
                                 prorroga=self.cal.politicas.prorroga_plazo_natural)
        c.fin_plazo[positions] = last.toordinal()
        c.dia_segunda_consulta[positions] = next_habil_day(last, conjunto).toordinal()

    def _set_audiencia(self, c: CicloEstado, positions: np.ndarray, notified: date) -> None:
        """The 5-hábil-day plazo of everyone notified on one day (numeral 4), and their D3."""
        last = habil_plazo_end(notified, DIAS_AUDIENCIA, self.cal.stps("cancelacion"))
        c.fin_plazo[positions] = last.toordinal()
        c.dia_tercera_consulta[positions] = next_habil_day(last, self.cal.conjunto()).toordinal()

    def _on_inicio_cancelacion(self, entrada: inp.InicioCancelacion, result: EnCurso,
                               numero: int) -> None:
        c, positions = self._rfc_act(entrada, result, numero, "inicio_cancelacion",
                                     "el inicio de la cancelación", "por_iniciar_cancelacion")
        c.cancelacion_iniciada_en[positions] = epoch(entrada.at)
        notified = entrada.at.astimezone(MX).date()
        if not self.cal.stps("cancelacion").es_habil(notified) and len(positions):
            result.avisos.append(Aviso(numero, "inicio_cancelacion", None, (
                f"El inicio de la cancelación se notifica en día inhábil para la STPS "
                f"({fecha(notified.toordinal())}).")))
        self._set_audiencia(c, positions, notified)
        self._fire(c, positions, "inicio_cancelacion", epoch(entrada.at), numero)

    def _on_cancelacion(self, entrada: inp.Cancelacion, result: EnCurso, numero: int) -> None:
        c, positions = self._rfc_act(entrada, result, numero, "cancelacion", "la cancelación",
                                     "por_cancelar")
        t = epoch(entrada.at)
        first = positions[c.cancelacion_resuelta_en[positions] == 0]
        c.cancelacion_resuelta_en[first] = t
        self._fire(c, positions, "cancelacion", t, numero)

    def _on_cancelacion_impedida(self, entrada: inp.CancelacionImpedida, result: EnCurso,
                                 numero: int) -> None:
        c, positions = self._rfc_act(entrada, result, numero, "cancelacion_impedida",
                                     "el impedimento de la cancelación", "por_cancelar")
        c.cancelacion_resuelta_en[positions] = epoch(entrada.at)
        c.suspendida_desde[positions] = dia(entrada.at)
        self._fire(c, positions, "cancelacion_impedida", epoch(entrada.at), numero,
                   nota=entrada.motivo)

    def _precheck_criterio(self, entrada: inp.Criterio) -> None:
        """A criterion that moves D0 is refused whole once the round-1 opinions of the cycle
        were received (they were obtained at the consultation date, which the lists and the
        exhortos cite and the exhorto window counts from), or when it moves D0 to a day already
        past."""
        if entrada.efecto != "mover_fecha_consulta":
            return
        c = self.ciclos[str(entrada.ciclo)]
        recibidas = c.primera_consulta_recibida[c.primera_consulta_recibida > 0]
        if len(recibidas):
            primera = instant(int(recibidas.min()))
            raise EntradaRechazada(
                f"la fecha de consulta del ciclo {c.nombre} ya no puede moverse: las opiniones "
                f"de la ronda 1 se recibieron el {primera:%d-%m-%Y %H:%M} con la fecha de "
                f"consulta del {fecha(c.d0)}, que citan los listados y los exhortos y de la que "
                "cuenta el plazo del exhorto; el criterio debe ser anterior a esas opiniones")
        if entrada.fecha < entrada.at.date():
            raise EntradaRechazada(
                f"la nueva fecha de consulta ({fecha(entrada.fecha.toordinal())}) es anterior "
                f"al criterio ({entrada.at:%d-%m-%Y}): la consulta no puede fijarse en un día "
                "ya pasado")

    def _on_criterio(self, entrada: inp.Criterio, result: EnCurso, numero: int) -> None:
        if entrada.efecto == "mover_fecha_consulta":
            self._mover_fecha_consulta(entrada, result, numero)
            return
        c, positions = self._rfc_act(entrada, result, numero, "criterio_exclusion",
                                     "la exclusión", "un estado no final")
        self._fire(c, positions, "criterio_exclusion", epoch(entrada.at), numero,
                   nota=entrada.texto)

    def _mover_fecha_consulta(self, entrada: inp.Criterio, result: EnCurso, numero: int
                              ) -> None:
        """D0 of the cycle moves for its whole padrón (numeral 8); the obligations, the exhorto
        window and the letters count from it. Nothing else has a date yet: round 1 has not been
        received (``_precheck_criterio``)."""
        c = self.ciclos[str(entrada.ciclo)]
        assert entrada.fecha is not None, "the input requires «fecha» for this effect"
        nueva = entrada.fecha.toordinal()
        c.fechas_consulta.append(CambioFechaConsulta(numero, epoch(entrada.at), c.d0, nueva,
                                                     entrada.texto))
        c.d0 = nueva
        conjunto = self.cal.conjunto()
        if not conjunto.es_habil(entrada.fecha):
            result.avisos.append(Aviso(numero, "criterio", None, (
                f"La nueva fecha de consulta {fecha(nueva)} no es día hábil "
                f"({'; '.join(conjunto.motivos(entrada.fecha))}).")))
        result.aceptadas = 1

    def _on_manifestacion(self, entrada: inp.Manifestacion, result: EnCurso,
                          numero: int) -> None:
        c = self.ciclos[str(entrada.ciclo)]
        positions, _ = resolve(self.index, entrada, result, numero, c, [entrada.rfc], [None])
        for p in positions.tolist():
            self.notas.append(Nota(numero, epoch(entrada.at), c.nombre, int(c.contratista[p]),
                                   entrada.resumen))
        result.aceptadas = len(positions)

    def _on_cancelacion_registro(self, entrada: inp.CancelacionRegistro, result: EnCurso,
                                 numero: int) -> None:
        filas = list(entrada.filas) if entrada.filas else [None] * len(entrada.rfcs)
        event = REGISTRO.event_code("cancelacion_registro")
        ids: list[int] = []
        for raw, fila in zip(entrada.rfcs, filas, strict=True):
            rfc = normalize_rfc(raw)
            i = self.index.get(rfc)
            motivo = None
            if i is None:
                motivo = "RFC desconocido: no está en ningún padrón recibido"
            elif REG_TABLE[self.registro[i], event] < 0:
                motivo = (f"el registro ya está en «{REGISTRO.states[self.registro[i]]}»")
            elif i in ids:
                motivo = "RFC repetido en la entrada"
            if motivo:
                result.rechazos.append(Rechazo(numero, "cancelacion_registro", rfc, motivo,
                                               entrada.archivo, fila))
            else:
                ids.append(i)
        self._fire_registro(np.array(ids, dtype=np.int32), "cancelacion_registro",
                            epoch(entrada.at), numero,
                            causa(CAUSAS[entrada.causa], entrada.motivo))
        result.aceptadas = len(ids)

    def _on_renovacion(self, entrada: inp.Renovacion, result: EnCurso, numero: int) -> None:
        rfc = normalize_rfc(entrada.rfc)
        i = self.index.get(rfc)
        event = Registro.renovaciones[entrada.resultado]
        today = dia(entrada.at)
        # Refused as a row, not as a whole input: the clock has already moved to ``at``, and
        # a whole refusal would leave that move in memory but not in the log.
        if i is None:
            motivo = "RFC desconocido: no está en ningún padrón recibido"
        else:
            motivo = self._renovacion_no_procede(i, event, entrada.resultado, today)
        if motivo:
            result.rechazos.append(Rechazo(numero, "renovacion", rfc, motivo, entrada.archivo))
            return
        ids = np.array([i], dtype=np.int32)
        t = epoch(entrada.at)
        if event == "renovacion_solicitada":
            self._set_resolucion(ids, np.array([today]), DIAS_RESOLVER)
        elif event == "renovacion_requerida":
            self._set_resolucion(ids, np.array([today]), DIAS_REQUERIMIENTO)
        self._fire_registro(ids, event, t, numero)
        if event == "renovacion_negada" and self.vence[i] <= today:
            # The term ended while the renewal was in course: denied, it lapses at once.
            self._fire_registro(ids, "fin_vigencia", t, numero)
        result.aceptadas = 1

    def _renovacion_no_procede(self, i: int, event: str, resultado: str, today: int
                               ) -> str | None:
        """Why renewal input ``resultado`` does not apply to contractor ``i`` today, or None."""
        state = REGISTRO.states[self.registro[i]]
        if event == "renovacion_solicitada" and state in (
                "registro_vigente", "registro_por_renovar", "registro_vencido"):
            abre, cierra = (int(d[0]) for d in ventana_renovacion(
                self.fecha_registro[[i]], self.vence[[i]], self.cal.politicas.ventana_renovacion))
            if not abre <= today <= cierra:
                return (f"la renovación solo puede solicitarse dentro de su ventana, del "
                        f"{fecha(abre)} al {fecha(cierra)}; la vigencia termina a las 00:00 del "
                        f"{fecha(int(self.vence[i]))}")
        if event == "renovacion_requerida" and state == "registro_en_renovacion":
            return (f"el requerimiento procede cuando vencen los {DIAS_RESOLVER} días hábiles de "
                    f"la STPS para resolver: el último es el {fecha(int(self.fin_resolucion[i]))}")
        if REG_TABLE[self.registro[i], REGISTRO.event_code(event)] < 0:
            return f"«renovación {resultado}» no procede con el registro en «{state}»"
        return None

    def _set_resolucion(self, ids: np.ndarray, desde: np.ndarray, dias: int) -> None:
        """STPS's plazo of ``dias`` hábil days on a renewal, from the day after ``desde``
        (LFPA art. 38), on the STPS calendar for renewals (closures that except them do not
        stop it)."""
        self.resolucion_desde[ids] = desde
        cal = self.cal.stps("renovacion")
        for day in np.unique(desde).tolist():
            last = habil_plazo_end(date.fromordinal(day), dias, cal)
            self.fin_resolucion[ids[desde == day]] = last.toordinal()
