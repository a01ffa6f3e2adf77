"""What specification reviewers read, generated from the charts (``repse specs``).

Pure functions return the text of each file in ``specs/``: a Mermaid state diagram and a
Graphviz DOT file per chart, and ``ESPECIFICACION.md``, the spec book in Spanish (states,
transition table with legal basis, the diagrams embedded, and a Gantt of the nominal cycle
2026-1 computed by the calendar core). An SVG is rendered from the DOT file where Graphviz is
installed; its bytes depend on the Graphviz version, so it is never compared.

Transitions that leave *every* non-final state for one target (a GT criterion, the end of the
registration) are drawn once, from a box around the open states, instead of once per state: the
box is computed from the chart, so the drawing still says exactly what the chart does.

>>> print(mermaid(Registro).splitlines()[0])
stateDiagram-v2
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from .calendars import AUTORIDAD_NOMBRE, AUTORIDADES, BASES, BUNDLED_NAME, Calendarios, calendarios
from .cycle import (
    DIAS_AUDIENCIA,
    DIAS_EXHORTO,
    DIAS_REGULARIZACION,
    HORA_LISTADO_INICIAL,
    HORA_LISTADOS,
    HORA_PADRON,
    Ciclo,
    PlanCiclo,
    fecha_corta,
    pasos,
    plan_ciclo,
)
from .declaraciones import vencimientos
from .lifecycle import ACTOR_NOMBRE, CAUSAS, CHARTS, Chart, Declaracion, Expediente, Registro
from .motor.tiempo import DIAS_REQUERIMIENTO, DIAS_RESOLVER, TERM_YEARS, WINDOW_MONTHS
from .plazos import next_habil_day

CICLO_NOMINAL = Ciclo(2026, 1)
"""The fixed cycle of the Gantt: a generated file must not go stale by itself."""
ANIO_DECLARACIONES = 2026
"""The fixed year of the report due dates, for the same reason."""

LIBRO = "ESPECIFICACION.md"
NL = "\n"
GRUPO = "abierto"


# --------------------------------------------------------------------------------------------
# The graph as drawn
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Flecha:
    """One drawn arrow: the events that lead from ``source`` to ``target``."""

    source: str
    target: str
    events: tuple[str, ...]


def _dibujo(chart: type[Chart]) -> tuple[list[str], list[Flecha]]:
    """The events drawn from the open-states box, and the remaining arrows (one per pair of
    states, events in declaration order)."""
    abiertos = {s.id for s in chart.states if not s.final}
    por_evento: dict[str, dict[str, str]] = {}
    for source, event, target in chart.transiciones():
        por_evento.setdefault(event, {})[source] = target
    de_grupo = [e for e, t in por_evento.items()
                if set(t) == abiertos and len(set(t.values())) == 1
                and next(iter(t.values())) not in abiertos]
    flechas: dict[tuple[str, str], list[str]] = {}
    for source, event, target in chart.transiciones():
        if event not in de_grupo:
            flechas.setdefault((source, target), []).append(event)
    return de_grupo, [Flecha(s, t, tuple(e)) for (s, t), e in flechas.items()]


_GRUPO_TITULO = {"Expediente": "Expediente abierto", "Registro": "Registro sin cancelar"}


def _grupo_titulo(chart: type[Chart]) -> str:
    nombre = _GRUPO_TITULO.get(chart.__name__, chart.__name__)
    return f"{nombre} (todo estado no final)"


def _destino_grupo(chart: type[Chart], event: str) -> str:
    return next(t for _, e, t in chart.transiciones() if e == event)


# --------------------------------------------------------------------------------------------
# Mermaid
# --------------------------------------------------------------------------------------------
def mermaid(chart: type[Chart]) -> str:
    """The chart as a Mermaid ``stateDiagram-v2``: state names as labels, event ids on arrows,
    final states with a thick border."""
    de_grupo, flechas = _dibujo(chart)
    abiertos = [s for s in chart.states if not s.final]
    finales = [s for s in chart.states if s.final]
    dentro = {s.id for s in abiertos} if de_grupo else set()
    lines = ["stateDiagram-v2", "    direction TB"]
    if de_grupo:
        lines.append(f'    state "{_grupo_titulo(chart)}" as {GRUPO} {{')
        lines += [f'        state "{s.name}" as {s.id}' for s in abiertos]
        lines += [f"        {f.source} --> {f.target} : {', '.join(f.events)}"
                  for f in flechas if f.source in dentro and f.target in dentro]
        lines.append("    }")
    else:
        lines += [f'    state "{s.name}" as {s.id}' for s in abiertos]
    lines += [f'    state "{s.name}" as {s.id}' for s in finales]
    assert chart.initial_state is not None
    lines.append(f"    [*] --> {chart.initial_state.id}")
    lines += [f"    {f.source} --> {f.target} : {', '.join(f.events)}"
              for f in flechas if not (f.source in dentro and f.target in dentro)]
    lines += [f"    {GRUPO} --> {_destino_grupo(chart, e)} : {e}" for e in de_grupo]
    # Final states drawn with a thick border: arrows to an end marker crowd the drawing.
    lines += ["    classDef final stroke-width:3px,font-weight:bold",
              f"    class {', '.join(s.id for s in finales)} final"]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Graphviz DOT
# --------------------------------------------------------------------------------------------
def _q(text: str) -> str:
    """A DOT quoted string; a line break becomes DOT's centred ``\\n``."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def dot(chart: type[Chart]) -> str:
    """The chart in the DOT language (final states drawn with a double border)."""
    de_grupo, flechas = _dibujo(chart)
    abiertos = [s for s in chart.states if not s.final]
    finales = [s for s in chart.states if s.final]
    assert chart.initial_state is not None

    def nodo(state, pad: str) -> str:
        extra = ", peripheries=2" if state.final else ""
        label = _q(state.name + "\n(" + state.id + ")")
        return f"{pad}{state.id} [label={label}{extra}];"

    lines = [
        f"digraph {chart.__name__} {{",
        f"    graph [label={_q(chart.titulo)}, labelloc=t, fontname=Helvetica, fontsize=14,"
        " rankdir=TB, compound=true, nodesep=0.4, ranksep=0.45];",
        "    node [shape=box, style=rounded, fontname=Helvetica, fontsize=11];",
        "    edge [fontname=Helvetica, fontsize=9];",
        '    inicio [shape=point, width=0.15, label=""];',
    ]
    if de_grupo:
        lines += [f"    subgraph cluster_{GRUPO} {{",
                  f"        graph [label={_q(_grupo_titulo(chart))}, style=dashed];"]
        lines += [nodo(s, "        ") for s in abiertos]
        lines.append("    }")
    else:
        lines += [nodo(s, "    ") for s in abiertos]
    lines += [nodo(s, "    ") for s in finales]
    lines.append(f"    inicio -> {chart.initial_state.id};")
    lines += [f"    {f.source} -> {f.target} [label={_q(NL.join(f.events))}];" for f in flechas]
    ancla = abiertos[-1].id
    lines += [f"    {ancla} -> {_destino_grupo(chart, e)} "
              f"[label={_q(e)}, ltail=cluster_{GRUPO}, style=dashed];" for e in de_grupo]
    lines.append("}")
    return "\n".join(lines) + "\n"


def svg(dot_source: str) -> bytes | None:
    """Render ``dot_source`` with Graphviz, or ``None`` when ``dot`` is not installed."""
    program = shutil.which("dot")
    if program is None:
        return None
    done = subprocess.run([program, "-Tsvg"], input=dot_source.encode(), capture_output=True,
                          check=True)
    return done.stdout


# --------------------------------------------------------------------------------------------
# The Gantt of the nominal cycle
# --------------------------------------------------------------------------------------------


def _tarea(nombre: str, clave: str, inicio: date, fin: date) -> str:
    return f"        {nombre} :{clave}, {inicio.isoformat()}, {(fin - inicio).days + 1}d"


def _hito(nombre: str, clave: str, dia: date) -> str:
    return f"        {nombre} :milestone, {clave}, {dia.isoformat()}, 0d"


def gantt(plan: PlanCiclo, cals: Calendarios) -> str:
    """A Mermaid Gantt of ``plan``: each plazo as a bar, each consultation as a milestone."""
    uno = timedelta(days=1)
    fin_natural = plan.exhorto + timedelta(days=30)
    lines = [
        "gantt",
        f"    title Ciclo {plan.ciclo} - fechas nominales",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %d/%m",
        "    section Ronda 1",
        _hito("Padrón 10h00 y opinión ronda 1 18h00 (D0)", "d0", plan.fecha_consulta),
        "    section Exhorto",
        _tarea("Ventana para enviar el exhorto (3 días hábiles)", "ventana",
               plan.fecha_consulta + uno, plan.limite_exhorto.date()),
        _hito("Exhorto notificado (supuesto el último día)", "exhorto", plan.exhorto),
        _tarea("Plazo de regularización (30 días naturales)", "regularizacion",
               plan.exhorto + uno, min(fin_natural, plan.fin_plazo_regularizacion)),
    ]
    if plan.fin_plazo_regularizacion > fin_natural:
        lines.append(_tarea("Prórroga al siguiente día hábil (LFPA art. 29)", "prorroga",
                            fin_natural + uno, plan.fin_plazo_regularizacion))
    lines += [
        "    section Ronda 2",
        _hito("Segunda consulta 12h00 (D2)", "d2", plan.segunda_consulta),
        "    section Cancelación",
        _hito("Inicio del procedimiento de cancelación (supuesto en D2)", "inicio",
              plan.inicio_cancelacion),
        _tarea("Plazo para manifestar (5 días hábiles)", "audiencia",
               plan.inicio_cancelacion + uno, plan.fin_plazo_audiencia),
        _hito("Tercera consulta 12h00 y cancelación (D3)", "d3", plan.tercera_consulta),
        _hito("Si se impide la cancelación - opinión diaria 12h00", "diaria",
              next_habil_day(plan.tercera_consulta, cals.conjunto())),
    ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# The spec book
# --------------------------------------------------------------------------------------------
def _celda(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _tabla(encabezado: list[str], filas: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(encabezado) + " |", "|" + "---|" * len(encabezado)]
    lines += ["| " + " | ".join(_celda(c) for c in fila) + " |" for fila in filas]
    return lines


INTRODUCCION = """\
Este documento se genera a partir del código que ejecuta el sistema: los estados, los eventos,
quién los dispara, su fundamento y los plazos salen de las mismas clases que usa el motor
(`core/lifecycle.py`), y las fechas del calendario nominal las calcula el mismo núcleo de
calendarios y plazos (`core/cycle.py`). Lo que aquí se lee es lo que el sistema hace. Una prueba
automática falla si el código cambia y este documento no se regenera (`make specs`).

## Cómo leer este documento

- **Estado**: la situación de un contratista. Cada expediente está en un solo estado a la vez.
- **Estado final**: el expediente (o el registro) termina; no admite ningún evento más. Un ciclo
  nuevo abre un expediente nuevo.
- **Evento**: algo que ocurre y se registra como entrada, con su fecha y quién lo emite. Un
  evento que no corresponde al estado actual **se rechaza** con un mensaje que lo explica; nunca
  se ignora en silencio. Por ejemplo, una opinión recibida mientras corre el plazo del exhorto
  es prematura y se rechaza.
- **Quién**: IMSS, STPS, el GT (actos conjuntos y criterios específicos), el **reloj** (el
  vencimiento de un plazo: el sistema lo dispara al avanzar la fecha, nadie lo captura) o el
  otro diagrama (**consecuencia**: el registro termina los expedientes abiertos, y una
  cancelación del expediente cancela el registro).
- **Opiniones**: positiva, negativa y sin opinión son eventos distintos. Negativa y Sin opinión
  siguen el mismo camino, pero el sistema conserva cuál fue, porque cada listado las separa.
- **Plazo**: la regla de plazo que la transición inicia («Inicia») o termina («Termina»).
- **Fundamento**: el numeral del Mecanismo de intercambio de información IMSS–STPS (22 de
  noviembre de 2023) o el artículo de la ley o del Acuerdo REPSE en que se basa la transición.

### Reglas de cómputo de los plazos

1. Una notificación surte efectos el día en que se hace; el plazo empieza a contar al día
   siguiente (LFPA art. 38).
2. Un plazo en **días naturales** cuenta todos los días; si su último día es inhábil, se
   prorroga al siguiente día hábil (LFPA art. 29).
3. Un plazo en **días hábiles** cuenta solo días hábiles (LFPA art. 28).
4. «El día hábil siguiente de transcurrido el plazo» es el primer día hábil estrictamente
   posterior a su último día.
5. Calendario de cada paso: los actos conjuntos y las consultas del IMSS usan el calendario
   **conjunto** (hábil para el IMSS y para la STPS); el plazo de 5 días y la cancelación usan el
   calendario de la **STPS**.

Un día es hábil para una autoridad cuando no es sábado ni domingo, no es día de descanso
obligatorio (LFT art. 74) y no es un cierre que la autoridad publicó en el DOF.
"""


def _seccion_chart(n: int, chart: type[Chart], texto: str) -> list[str]:
    nombre = chart.__name__.lower()
    lines = [f"## {n}. {chart.titulo}", "", texto, "", "### Diagrama", "",
             f"Fuente: [`{nombre}.mmd`]({nombre}.mmd) (Mermaid) y [`{nombre}.dot`]({nombre}.dot) "
             f"(Graphviz; [`{nombre}.svg`]({nombre}.svg) donde Graphviz está instalado).", "",
             "```mermaid", mermaid(chart).rstrip("\n"), "```", ""]
    de_grupo, _ = _dibujo(chart)
    if de_grupo:
        lines += [f"El recuadro «{_grupo_titulo(chart)}» agrupa los estados no finales: una "
                  "flecha que sale del recuadro sale de **cada uno** de ellos "
                  f"({', '.join(f'`{e}`' for e in de_grupo)}).", ""]
    lines += ["Los estados finales tienen borde grueso (doble en Graphviz). Varias opiniones "
              "sobre una misma flecha son eventos distintos que llevan al mismo estado.", ""]
    lines += ["### Estados", ""]
    filas = []
    for state in chart.states:
        tipo = "inicial" if state.initial else ("final" if state.final else "")
        filas.append([f"`{state.id}`", state.name, tipo, state.descripcion])
    lines += _tabla(["Estado", "Nombre", "Tipo", "Qué significa"], filas)
    lines += ["", "### Transiciones", "",
              "Una fila por estado de origen y evento. Cualquier otra combinación se rechaza.", ""]
    filas = []
    for source, event, target in chart.transiciones():
        regla = chart.regla(source, event)
        filas.append([f"`{source}`", f"`{event}`", f"`{target}`", ACTOR_NOMBRE[regla.actor],
                      regla.plazo or "—", regla.fundamento])
    lines += _tabla(["Estado origen", "Evento", "Estado destino", "Quién", "Plazo",
                     "Fundamento"], filas)
    lines += ["", "Eventos:", ""]
    lines += [f"- `{e}`: {e.name}" for e in chart.events]
    return [*lines, ""]


TEXTO_EXPEDIENTE = """\
Un contratista tiene un expediente por cada ciclo semestral cuyo padrón lo incluye (ciclo
`AAAA-1`, enero; `AAAA-2`, julio; fecha de consulta D0: el último lunes de enero o de julio). Un
expediente que sigue abierto de un ciclo anterior (por ejemplo, una cancelación impedida durante
meses) continúa cuando el ciclo siguiente abre otro; el estado que se muestra del contratista es
el de su ciclo más reciente. `cancelado` es solo lo que canceló el mecanismo (numeral 6); cuando
el registro termina por otra vía (venció sin renovación, o la STPS lo canceló fuera del
procedimiento, también a petición del contratista), todo expediente abierto concluye sin
registro (`concluido_sin_registro`), con la causa en su historial."""

TEXTO_REGISTRO = """\
Cada contratista tiene un registro REPSE, vigente tres años desde el inicio de su periodo
vigente; la `fecha_registro` del padrón es ese inicio, y la vigencia termina a las 00:00 del
aniversario (un registro del 29 de febrero, el 1 de marzo). La renovación solo puede solicitarse
en los tres meses naturales anteriores al mes en que termina la vigencia, según el calendario del
Acuerdo (otorgado el 10-09-2021: del 01-06-2024 al 31-08-2024); la política
`ventana_renovacion = "tres_meses"` la lee en cambio de día a día, desde el mismo día tres meses
antes del aniversario hasta el fin de la vigencia. La STPS resuelve en 20 días hábiles de su
calendario para las renovaciones; sin resolución, el contratista puede requerirla, y tres días
hábiles después sin resolución notificada la renovación se tiene por efectuada (afirmativa
ficta, LFT art. 15, tercer párrafo). Un registro con la renovación en curso no vence."""


def _seccion_efectos(n: int) -> list[str]:
    lines = [f"## {n}. Cómo se afectan el expediente y el registro", "",
             "Cuando ocurre el evento de la primera columna, el sistema dispara, como "
             "consecuencia y en el mismo momento, el evento de la tercera en el otro diagrama.",
             ""]
    filas = [[f"`{e.evento}` ({chart.__name__})", e.en.capitalize(), f"`{e.dispara}`",
              e.alcance, e.causa.format(ciclo="AAAA-N") or "la de la entrada", e.fundamento]
             for chart in CHARTS.values() for e in chart.efectos]
    lines += _tabla(["Cuando ocurre", "En", "Se dispara", "Para", "Causa en el historial",
                     "Fundamento"], filas)
    lines += ["", "Un expediente que concluye sin registro (`registro_terminado`, estado "
              "`concluido_sin_registro`) no es una cancelación del mecanismo ni vuelve a cancelar "
              "el registro: solo la cancelación en el procedimiento (`cancelacion`, numeral 6) "
              "lleva a `cancelado`, y las estadísticas del ciclo cuentan aparte cada uno.", "",
              "La entrada `cancelacion_registro` dice su causa (`causa`), que queda en el "
              "historial del registro y de cada expediente que concluye; `motivo` la explica y "
              "es obligatorio con la causa `otra` (una entrada sin `causa`, anterior a este "
              "campo, se lee como `otra`):", ""]
    lines += _tabla(["Causa", "Qué significa"], [[f"`{c}`", t] for c, t in CAUSAS.items()])
    return [*lines, ""]


def _seccion_gantt(n: int, cals: Calendarios) -> list[str]:
    plan = plan_ciclo(CICLO_NOMINAL, cals)
    lines = [f"## {n}. Calendario nominal del ciclo {plan.ciclo}", "",
             f"Fechas que calcula el sistema para el ciclo fijo {plan.ciclo} (fecha de consulta "
             f"{fecha_corta(plan.fecha_consulta)}), suponiendo el exhorto notificado el último día "
             "permitido y el procedimiento de cancelación iniciado el mismo día de la segunda "
             "consulta. Cada contratista corre sus plazos desde su propia notificación; estas "
             "son las fechas nominales. Se usa un ciclo fijo para que este documento no cambie "
             "solo con el paso del tiempo.", "",
             "```mermaid", gantt(plan, cals).rstrip("\n"), "```", ""]
    filas = [[fecha_corta(p.fecha), p.corte or "—", p.responsable, p.paso,
              f"{AUTORIDAD_NOMBRE[p.calendario]}" if p.calendario else "fecha fija",
              p.fundamento]
             for p in pasos(plan, cals, exhorto_supuesto=True, inicio_supuesto=True)]
    lines += _tabla(["Fecha", "Corte", "Responsable", "Paso", "Calendario", "Fundamento"], filas)
    lines += ["", "Avisos del calendario al generar este documento:", ""]
    lines += [f"- {a}" for a in plan.avisos] or ["- Sin avisos."]
    return [*lines, ""]


# --------------------------------------------------------------------------------------------
# Plazos, cut-offs and calendars: what a reviewer checks a date against
# --------------------------------------------------------------------------------------------
_CONJUNTO = "conjunto (IMSS y STPS)"
_VENCE_00 = "a las 00:00 del día siguiente a su último día (el reloj lo dispara)"


def _plazos_y_cortes() -> list[list[str]]:
    """Each plazo and cut-off of a cycle and of a registration: what is counted, on which
    calendar, when it ends, on what basis. The numbers are the engine's own constants."""
    h = f"{HORA_LISTADOS:%H:%M}"
    return [
        ["Padrón del ciclo (STPS)", "la fecha de consulta (D0): último lunes de enero o de julio",
         "fecha fija", f"D0 a las {HORA_PADRON:%H:%M}", "Mecanismo, numerales 1 y 9"],
        ["Listados ronda 1 (IMSS)", "la misma fecha de consulta", "fecha fija",
         f"D0 a las {HORA_LISTADO_INICIAL:%H:%M}", "Mecanismo, numeral 1"],
        ["Límite del exhorto (GT)", f"{DIAS_EXHORTO} días hábiles siguientes a D0", _CONJUNTO,
         "al terminar su último día", "Mecanismo, numeral 2"],
        ["Fin del plazo de regularización (contratista)",
         f"{DIAS_REGULARIZACION} días naturales desde el día siguiente a la notificación del "
         "exhorto; si el último es inhábil, se prorroga al siguiente día hábil (reglas 1 y 2)",
         _CONJUNTO, _VENCE_00, "Mecanismo, numeral 2; LFPA arts. 38 y 29"],
        ["Segunda consulta, D2 (IMSS)",
         "el día hábil siguiente de transcurrido el plazo de regularización (regla 4)",
         _CONJUNTO, f"D2 a las {h}", "Mecanismo, numerales 3 y 4"],
        ["Inicio del procedimiento de cancelación (STPS)",
         "a partir de D2, para quien siguió sin opinión positiva", "de la STPS",
         "sin corte propio: el plan lo supone el mismo día D2",
         "Mecanismo, numeral 4; Acuerdo REPSE, DÉCIMO QUINTO"],
        ["Fin del plazo para manifestar (contratista)",
         f"{DIAS_AUDIENCIA} días hábiles desde el día siguiente a la notificación del inicio "
         "(reglas 1 y 3)", "de la STPS (procedimiento de cancelación)", _VENCE_00,
         "Mecanismo, numeral 4; LFPA arts. 28 y 38"],
        ["Tercera consulta, D3 (IMSS, oficio)",
         "el día hábil siguiente de transcurrido el plazo para manifestar (regla 4)",
         _CONJUNTO, f"D3 a las {h}", "Mecanismo, numerales 5, 6 y 9"],
        ["Cancelación (STPS)", "el mismo día de la tercera consulta", "de la STPS",
         "al terminar D3", "Mecanismo, numeral 6"],
        ["Actualización diaria (IMSS)", "cada día hábil en que alguna cancelación siga "
         "impedida (suspendida antes de ese día)", _CONJUNTO, f"ese día a las {h}",
         "Mecanismo, numeral 7"],
        ["Fin de la vigencia del registro", f"{TERM_YEARS} años desde el otorgamiento o la "
         "última renovación", "fecha fija", "a las 00:00 del aniversario",
         "Acuerdo REPSE, DÉCIMO TERCERO"],
        ["Ventana de renovación", f"los {WINDOW_MONTHS} meses naturales anteriores al mes del "
         "aniversario (política «ventana_renovacion»)", "fecha fija",
         "abre a las 00:00 de su primer día; cierra al terminar el mes anterior al del "
         "aniversario (con «tres_meses», al fin de la vigencia)",
         "Acuerdo REPSE, DÉCIMO SEXTO (calendario de la reforma DOF 21-02-2024)"],
        ["Fin del plazo para resolver la renovación (STPS)",
         f"{DIAS_RESOLVER} días hábiles desde el día siguiente a la solicitud",
         "de la STPS (procedimiento de renovación)", _VENCE_00,
         "LFT art. 15, tercer párrafo; Acuerdo REPSE"],
        ["Afirmativa ficta", f"{DIAS_REQUERIMIENTO} días hábiles desde el día siguiente al "
         "requerimiento del contratista", "de la STPS (procedimiento de renovación)", _VENCE_00,
         "LFT art. 15, tercer párrafo"],
    ]


def _seccion_plazos_calendarios(n: int, cals: Calendarios) -> list[str]:
    """The plazos and cut-offs in one table, the base set of rest days and every closure in
    force with its source: the rules a reviewer checks a date against, without the code."""
    anio = CICLO_NOMINAL.anio
    base = BASES[cals.politicas.base_inhabiles]()
    dias = base.holidays(anio)
    # The rest days of the next six years that the example year lacks (the handover of the
    # federal executive every six years), each with the first year it falls in.
    extra: dict[str, date] = {}
    for y in range(anio + 1, anio + 7):
        for d, m in base.holidays(y):
            if m not in {x for _, x in dias}:
                extra.setdefault(m, d)
    lines = [f"## {n}. Plazos, cortes y calendarios", "",
             "Cada plazo y cada corte que el sistema calcula, con lo que cuenta, el calendario "
             "en que lo cuenta, cuándo vence y su fundamento. Las horas son de la Ciudad de "
             "México. Las reglas de cómputo 1 a 5 están en «Cómo leer este documento».", "",
             "### Plazos y cortes", ""]
    lines += _tabla(["Plazo o corte", "Qué se cuenta", "Calendario", "Vence", "Fundamento"],
                    _plazos_y_cortes())
    lines += ["", "### Días inhábiles de cada autoridad", "",
              "Un día es hábil para una autoridad cuando no es sábado ni domingo, no es día de "
              "descanso obligatorio y no es un cierre que esa autoridad publicó en el DOF. El "
              "calendario conjunto (IMSS y STPS) es hábil solo cuando lo es para ambas. Un día "
              "de descanso que cae en fin de semana no se traslada.", "",
              f"Días de descanso obligatorio (política «base_inhabiles» = "
              f"«{cals.politicas.base_inhabiles}»), por ejemplo en {anio}:", ""]
    lines += [f"- {fecha_corta(d)}: {motivo}" for d, motivo in dias]
    lines += [f"- además, cada seis años (por ejemplo el {fecha_corta(d)}): {m}"
              for m, d in extra.items()]
    lines += ["", f"Cierres publicados en el DOF que el sistema incluye (`core/data/"
              f"{BUNDLED_NAME}`; `--calendario ARCHIVO` los sustituye por el archivo del "
              "operador, y el almacén registra como su primera entrada el calendario en vigor):",
              ""]
    filas = [[AUTORIDAD_NOMBRE[c.autoridad], fecha_corta(c.desde), fecha_corta(c.ultimo),
              c.fuente, ", ".join(c.excepto) or "—"] for c in cals.datos.cierre]
    lines += _tabla(["Autoridad", "Desde", "Hasta", "Fuente", "No aplica a"], filas) \
        if filas else ["- Ninguno."]
    lines += ["", "Años con datos de cierres (cierres o un año declarado revisado):", ""]
    for autoridad in AUTORIDADES:
        anios = sorted(cals.datos.anios_con_datos(autoridad))
        lines.append(f"- {AUTORIDAD_NOMBRE[autoridad]}: "
                     f"{', '.join(map(str, anios)) if anios else 'ninguno'}.")
    lines += [f"- Revisado sin cierres: {AUTORIDAD_NOMBRE[r.autoridad]} {r.anio} ({r.fuente})."
              for r in cals.datos.revisado]
    lines += ["", "Para un año sin datos de una autoridad solo se descuentan los fines de semana "
              "y los días de descanso obligatorio, y todo plan y toda fecha que lo toca lo "
              "advierte.", ""]
    return lines
TEXTO_DECLARACION = """\
Además del ciclo del mecanismo, todo contratista con registro REPSE debe proporcionar al IMSS,
cada cuatrimestre, la información de los contratos que celebró en él (LSS art. 15 A, tercer
párrafo; el INFONAVIT la pide en las mismas fechas, LINFONAVIT art. 29 Bis). Hay una declaración
por contratista y periodo: `AAAA-C1` (enero a abril), `AAAA-C2` (mayo a agosto) y `AAAA-C3`
(septiembre a diciembre), que vencen «a más tardar el día 17» de mayo, septiembre y enero
siguiente. Con la política `prorroga_declaracion` (activa por omisión), un día 17 que no es
hábil para el IMSS se prorroga al siguiente día hábil del IMSS (CFF art. 12, quinto párrafo: «si
el último día del plazo o en la fecha determinada, las oficinas … permanecen cerradas … o se
trate de un día inhábil, se prorrogará el plazo hasta el siguiente día hábil», de aplicación
supletoria por LSS art. 9); sin ella, el plazo vence el 17 aunque sea inhábil.

Debe la declaración de un periodo todo contratista cuyo registro estuvo vigente en algún momento
del periodo (según el padrón y el diagrama del registro), salvo que la lista de declaraciones
del IMSS lo marque «sin contratos» en ese periodo. La lista del IMSS trae la fecha de cada
declaración: en plazo lleva a `presentada`; después del vencimiento, a `extemporanea`. La multa
es de 500 a 2000 veces el valor diario de la UMA vigente el día de la infracción, el siguiente
al vencimiento (LSS art. 304 B, fracción V); una multa fuera de ese rango se rechaza. El valor
de la UMA sale de una tabla incluida con sus fuentes (`core/data/uma.toml`) que el operador
puede ampliar."""


def _seccion_vencimientos(n: int, cals: Calendarios) -> list[str]:
    lines = [f"## {n}. Vencimientos de las declaraciones en {ANIO_DECLARACIONES}", "",
             f"Fechas que calcula el sistema para las tres declaraciones que vencen en "
             f"{ANIO_DECLARACIONES} (año fijo, para que este documento no cambie solo). El plazo "
             "termina al fin del día de vencimiento; el reloj dispara entonces "
             "`fin_plazo_declaracion`.", ""]
    filas = [[f"`{v.periodo}`", f"{fecha_corta(v.desde)} a {fecha_corta(v.hasta)}",
              fecha_corta(v.vence), "sí" if v.prorrogado else "no", v.fundamento]
             for v in vencimientos(ANIO_DECLARACIONES, cals)]
    lines += _tabla(["Periodo", "Contratos celebrados", "Vence", "Prorrogado", "Fundamento"],
                    filas)
    return [*lines, ""]


def especificacion(cals: Calendarios | None = None) -> str:
    """The spec book, ``specs/ESPECIFICACION.md``."""
    cals = cals or calendarios()
    lines = [
        "# Especificación del ciclo de vida REPSE",
        "",
        "<!-- Generado por `repse specs` a partir de core/lifecycle.py, core/cycle.py y "
        "core/declaraciones.py. "
        "No se edita a mano: ejecute `make specs`. -->",
        "",
        INTRODUCCION,
        *_seccion_chart(1, Expediente, TEXTO_EXPEDIENTE),
        *_seccion_chart(2, Registro, TEXTO_REGISTRO),
        *_seccion_efectos(3),
        *_seccion_gantt(4, cals),
        *_seccion_chart(5, Declaracion, TEXTO_DECLARACION),
        *_seccion_vencimientos(6, cals),
        *_seccion_plazos_calendarios(7, cals),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


# --------------------------------------------------------------------------------------------
# The files of specs/
# --------------------------------------------------------------------------------------------
def archivos(cals: Calendarios | None = None) -> dict[str, str]:
    """Every compared text file of ``specs/``, by file name."""
    files: dict[str, str] = {}
    for name, chart in CHARTS.items():
        files[f"{name}.mmd"] = mermaid(chart)
        files[f"{name}.dot"] = dot(chart)
    files[LIBRO] = especificacion(cals)
    return files


def desactualizados(carpeta: Path, esperado: Mapping[str, str] | None = None) -> list[str]:
    """The text files of ``carpeta`` that are missing or differ from what the charts generate,
    each as ``"<name> (falta)"`` or ``"<name> (distinto)"``."""
    esperado = esperado if esperado is not None else archivos()
    stale = []
    for name, text in esperado.items():
        path = carpeta / name
        if not path.is_file():
            stale.append(f"{name} (falta)")
        elif path.read_bytes() != text.encode():
            stale.append(f"{name} (distinto)")
    return stale


def escribir(carpeta: Path) -> tuple[list[Path], bool]:
    """Regenerate ``carpeta``: every text file, and the SVGs when Graphviz is installed.
    Returns the files written and whether the SVGs were rendered."""
    carpeta.mkdir(parents=True, exist_ok=True)
    written = []
    files = archivos()
    for name, text in files.items():
        path = carpeta / name
        path.write_bytes(text.encode())
        written.append(path)
    rendered = shutil.which("dot") is not None
    if rendered:
        for name in CHARTS:
            image = svg(files[f"{name}.dot"])
            assert image is not None
            path = carpeta / f"{name}.svg"
            path.write_bytes(image)
            written.append(path)
    return written, rendered
