"""The semester cycle and its nominal plan (Mecanismo, numerales 1–7).

The plan is what the mechanism fixes for a cycle once the exhorto date and the start of the
cancellation procedure are known (or assumed): every step, its responsible party, its date and
cut-off, the calendar it is counted on and its legal basis.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Literal

import msgspec

from .calendars import AUTORIDAD_NOMBRE, Calendarios, CalendarName
from .errors import PlanError
from .plazos import cutoff, habil_plazo_end, last_monday, natural_plazo_end, next_habil_day

DIAS_EXHORTO = 3  # hábil days to send the exhorto (numeral 2)
DIAS_REGULARIZACION = 30  # natural days granted by the exhorto (numeral 2)
DIAS_AUDIENCIA = 5  # hábil days to state what suits their right (numeral 4)

HORA_PADRON = time(10)  # numeral 1
HORA_LISTADO_INICIAL = time(18)  # numeral 1
HORA_LISTADOS = time(12)  # numerales 4, 6 y 7

_CICLO = re.compile(r"^(\d{4})-([12])$")
ANIO_MIN, ANIO_MAX = 2000, 2100  # the years a cycle may have: a typo like 0000-1 is refused


class Ciclo(str):
    """A semester cycle: ``YYYY-1`` opens in January, ``YYYY-2`` in July (years 2000–2100).

    It is its own text, so it encodes as ``"2026-1"``, compares equal to that string and sorts
    in time order; inputs decode it once (:mod:`repse.core.inputs`)."""

    __slots__ = ()

    def __new__(cls, anio: int, semestre: Literal[1, 2]) -> Ciclo:
        if semestre not in (1, 2) or not ANIO_MIN <= anio <= ANIO_MAX:
            raise PlanError(f"ciclo no válido «{anio}-{semestre}»: el año va de {ANIO_MIN} a "
                            f"{ANIO_MAX} y el semestre es 1 o 2")
        return super().__new__(cls, f"{anio}-{semestre}")

    def __getnewargs__(self) -> tuple[int, int]:  # type: ignore[override]  # copy and pickle
        return self.anio, self.semestre

    @classmethod
    def parse(cls, text: str) -> Ciclo:
        """
        >>> Ciclo.parse("2026-2")
        Ciclo(anio=2026, semestre=2)
        >>> Ciclo.parse("0000-1")
        Traceback (most recent call last):
        ...
        repse.core.errors.PlanError: ciclo no válido «0000-1»: el año va de 2000 a 2100
        """
        if isinstance(text, Ciclo):
            return text
        match = _CICLO.match(text.strip())
        if not match:
            raise PlanError(
                f"ciclo no válido «{text}»: se espera AAAA-1 (enero) o AAAA-2 (julio)"
            )
        if not ANIO_MIN <= int(match[1]) <= ANIO_MAX:
            raise PlanError(f"ciclo no válido «{text}»: el año va de {ANIO_MIN} a {ANIO_MAX}")
        return cls(int(match[1]), 1 if match[2] == "1" else 2)

    @property
    def anio(self) -> int:
        return int(self[:4])

    @property
    def semestre(self) -> Literal[1, 2]:
        return 1 if self[5] == "1" else 2

    def __repr__(self) -> str:
        return f"Ciclo(anio={self.anio}, semestre={self.semestre})"

    @property
    def fecha_consulta(self) -> date:
        """D0: the last Monday of January or July (numerales 1 y 2)."""
        return last_monday(self.anio, 1 if self.semestre == 1 else 7)

    def siguiente(self) -> Ciclo:
        return Ciclo(self.anio, 2) if self.semestre == 1 else Ciclo(self.anio + 1, 1)

    @classmethod
    def proximo(cls, hoy: date) -> Ciclo:
        """The next cycle whose D0 is ``hoy`` or later.

        >>> str(Ciclo.proximo(date(2026, 11, 21))), str(Ciclo.proximo(date(2026, 7, 27)))
        ('2027-1', '2026-2')
        """
        ciclo = cls(hoy.year, 1)
        while ciclo.fecha_consulta < hoy:
            ciclo = ciclo.siguiente()
        return ciclo


class PlanCiclo(msgspec.Struct, frozen=True):
    """The nominal dates of one cycle; ``repse plan --json`` prints exactly these fields."""

    ciclo: str
    fecha_consulta: date
    limite_padron: datetime
    limite_listado_inicial: datetime
    limite_exhorto: datetime
    exhorto: date
    fin_plazo_regularizacion: date
    segunda_consulta: date
    limite_listado_segunda: datetime
    inicio_cancelacion: date
    fin_plazo_audiencia: date
    tercera_consulta: date
    limite_listado_tercera: datetime
    avisos: tuple[str, ...]


class Paso(msgspec.Struct, frozen=True):
    """One row of the human-readable plan."""

    paso: str
    responsable: str
    fecha: date
    corte: str  # "10:00", "fin del día", or "" for a date that is not an obligation
    calendario: CalendarName | None
    fundamento: str


def plan_ciclo(
    ciclo: Ciclo,
    calendarios: Calendarios,
    *,
    fecha_consulta: date | None = None,
    exhorto: date | None = None,
    inicio_cancelacion: date | None = None,
) -> PlanCiclo:
    """Compute the plan of ``ciclo``. ``fecha_consulta`` is D0 as a GT criterion moved it
    (numeral 8; by default the nominal date). Without ``exhorto`` the exhorto is assumed
    notified on the last day of its window; without ``inicio_cancelacion`` the procedure starts
    on D2.

    >>> p = plan_ciclo(Ciclo(2026, 1), Calendarios(), exhorto=date(2026, 1, 28),
    ...                inicio_cancelacion=date(2026, 3, 2))
    >>> str(p.segunda_consulta), str(p.tercera_consulta)
    ('2026-03-02', '2026-03-10')
    """
    conjunto = calendarios.conjunto("mecanismo")
    stps = calendarios.stps("cancelacion")
    prorroga = calendarios.politicas.prorroga_plazo_natural
    avisos: list[str] = []

    d0 = ciclo.fecha_consulta if fecha_consulta is None else fecha_consulta
    if d0 != ciclo.fecha_consulta:
        avisos.append(
            f"Fecha de consulta movida por criterio específico del GT (numeral 8): "
            f"{fecha_corta(d0)}, en lugar de la nominal {fecha_corta(ciclo.fecha_consulta)}."
        )
    if not conjunto.es_habil(d0):
        fija = ("la fecha se mantiene porque el mecanismo la fija (numeral 1); el GT puede "
                "moverla con un criterio específico (numeral 8)."
                if d0 == ciclo.fecha_consulta else "es la fecha que fijó el criterio del GT.")
        avisos.append(
            f"La fecha de consulta {fecha_corta(d0)} no es día hábil "
            f"({'; '.join(conjunto.motivos(d0))}): {fija}"
        )

    limite_exhorto = habil_plazo_end(d0, DIAS_EXHORTO, conjunto)
    if exhorto is None:
        exhorto = limite_exhorto
    elif exhorto < d0:
        raise PlanError(
            f"el exhorto ({exhorto}) no puede ser anterior a la fecha de consulta ({d0})"
        )
    else:
        if exhorto > limite_exhorto:
            avisos.append(
                f"Exhorto extemporáneo: se notifica el {fecha_corta(exhorto)}, después de su "
                f"límite del {fecha_corta(limite_exhorto)} (3 días hábiles, numeral 2). El plan se "
                "calcula con la fecha indicada."
            )
        if not conjunto.es_habil(exhorto):
            avisos.append(
                f"El exhorto se notifica el {fecha_corta(exhorto)}, que no es día hábil "
                f"({'; '.join(conjunto.motivos(exhorto))})."
            )

    fin_regularizacion = natural_plazo_end(exhorto, DIAS_REGULARIZACION, conjunto,
                                           prorroga=prorroga)
    d2 = next_habil_day(fin_regularizacion, conjunto)

    if inicio_cancelacion is None:
        inicio_cancelacion = d2
    elif inicio_cancelacion < d2:
        raise PlanError(
            f"el inicio de la cancelación ({inicio_cancelacion}) no puede ser anterior a la "
            f"segunda consulta ({d2})"
        )
    elif not stps.es_habil(inicio_cancelacion):
        avisos.append(
            f"El inicio de la cancelación se notifica el {fecha_corta(inicio_cancelacion)}, que "
            f"no es día hábil para la STPS ({'; '.join(stps.motivos(inicio_cancelacion))})."
        )

    fin_audiencia = habil_plazo_end(inicio_cancelacion, DIAS_AUDIENCIA, stps)
    d3 = next_habil_day(fin_audiencia, conjunto)

    anios = range(d0.year, d3.year + 1)
    avisos.extend(calendarios.avisos_sin_datos(anios))

    return PlanCiclo(
        ciclo=str(ciclo),
        fecha_consulta=d0,
        limite_padron=cutoff(d0, HORA_PADRON),
        limite_listado_inicial=cutoff(d0, HORA_LISTADO_INICIAL),
        limite_exhorto=cutoff(limite_exhorto),
        exhorto=exhorto,
        fin_plazo_regularizacion=fin_regularizacion,
        segunda_consulta=d2,
        limite_listado_segunda=cutoff(d2, HORA_LISTADOS),
        inicio_cancelacion=inicio_cancelacion,
        fin_plazo_audiencia=fin_audiencia,
        tercera_consulta=d3,
        limite_listado_tercera=cutoff(d3, HORA_LISTADOS),
        avisos=tuple(avisos),
    )


def pasos(
    plan: PlanCiclo, calendarios: Calendarios, *, exhorto_supuesto: bool, inicio_supuesto: bool
) -> list[Paso]:
    """The plan as the rows an operator reads, in date order of the mechanism."""
    gt = "IMSS y STPS (GT)"
    supuesto = " (supuesto: último día permitido)"
    movida = plan.fecha_consulta != Ciclo.parse(plan.ciclo).fecha_consulta
    criterio = "; numeral 8 (fecha movida por criterio del GT)" if movida else ""
    return [
        Paso("Entrega del padrón REPSE vigente al IMSS (oficio)", "STPS", plan.fecha_consulta,
             "10:00", None, "Mecanismo, numerales 1 y 9" + criterio),
        Paso("Opinión de cumplimiento, ronda 1; listados Negativa y Sin opinión", "IMSS",
             plan.fecha_consulta, "18:00", None, "Mecanismo, numeral 1" + criterio),
        Paso("Límite para enviar el exhorto", gt, plan.limite_exhorto.date(), "fin del día",
             "conjunto", "Mecanismo, numeral 2 (3 días hábiles siguientes a la opinión)"),
        Paso("Exhorto notificado" + (supuesto if exhorto_supuesto else ""), gt, plan.exhorto, "",
             "conjunto", "Mecanismo, numeral 2; LFPA art. 38 (surte efectos el mismo día)"),
        Paso("Fin del plazo de regularización (30 días naturales)", "Contratista",
             plan.fin_plazo_regularizacion, "", "conjunto",
             "Mecanismo, numeral 2; LFPA arts. 28 y 29 (prórroga al día hábil siguiente)"),
        Paso("Segunda consulta (D2); listados Negativa y Sin opinión", "IMSS",
             plan.segunda_consulta, "12:00", "conjunto", "Mecanismo, numerales 3 y 4"),
        Paso("Inicio del procedimiento de cancelación"
             + (" (supuesto: el mismo día D2)" if inicio_supuesto else ""), "STPS",
             plan.inicio_cancelacion, "", "stps",
             "Mecanismo, numeral 4; Acuerdo REPSE, DÉCIMO QUINTO"),
        Paso("Fin del plazo para manifestar lo que a su derecho convenga (5 días hábiles)",
             "Contratista", plan.fin_plazo_audiencia, "", "stps",
             "Mecanismo, numeral 4; LFPA art. 28"),
        Paso("Tercera consulta (D3); listado de registros a cancelar (oficio)", "IMSS",
             plan.tercera_consulta, "12:00", "conjunto", "Mecanismo, numerales 5, 6 y 9"),
        Paso("Cancelación de los registros del listado", "STPS", plan.tercera_consulta,
             "fin del día", "stps", "Mecanismo, numeral 6"),
        Paso("Si la cancelación se impide: opinión actualizada cada día hábil", "IMSS",
             next_habil_day(plan.tercera_consulta, calendarios.conjunto()), "12:00",
             "conjunto", "Mecanismo, numeral 7"),
    ]


DIAS_SEMANA = ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")


def fecha_corta(day: date) -> str:
    """``lun 26-01-2026``: the weekday matters to anyone checking a plazo by hand."""
    return f"{DIAS_SEMANA[day.weekday()]} {day:%d-%m-%Y}"


def format_plan(plan: PlanCiclo, filas: list[Paso]) -> str:
    """The Spanish table ``repse plan`` prints."""
    lines = [
        f"Plan del ciclo {plan.ciclo} — fecha de consulta (D0): {fecha_corta(plan.fecha_consulta)}",
        "Horas en America/Mexico_City.",
        "",
        f"{'Fecha':<15} {'Corte':<11} {'Responsable':<17} Paso",
        f"{'-' * 15} {'-' * 11} {'-' * 17} {'-' * 50}",
    ]
    for f in filas:
        lines.append(f"{fecha_corta(f.fecha):<15} {f.corte:<11} {f.responsable:<17} {f.paso}")
        cal = f"calendario {AUTORIDAD_NOMBRE[f.calendario]}" if f.calendario else "fecha fija"
        lines.append(f"{'':<45} {f.fundamento} · {cal}")
    lines.append("")
    if plan.avisos:
        lines.append("Avisos:")
        lines.extend(f"  - {a}" for a in plan.avisos)
    else:
        lines.append("Sin avisos.")
    return "\n".join(lines)
