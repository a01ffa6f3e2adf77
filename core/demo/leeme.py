"""LEEME.txt: the steps of the demo cycle in order, each with its nominal date and the command
line that loads its file.

This is the one module of the demo that spells the CLI (``repse init``, ``repse importar …``):
LEEME.txt is written for a person at a terminal, so its commands must be the CLI's own words.
``tests/test_demo.py`` runs every line through the real CLI, so a renamed flag fails there instead
of leaving the instructions stale.
"""

from __future__ import annotations

import textwrap
from datetime import datetime

from ..cycle import PlanCiclo, fecha_corta
from .archivos import ArchivoDemo, ResumenDemo

BASE_DATOS = "repse.sqlite"  # the exercise's store, in the demo folder


def linea_importar(archivo: ArchivoDemo, ciclo: str, base: str = BASE_DATOS) -> str:
    """The ``repse importar`` line that loads ``archivo``."""
    partes = ["repse importar", archivo.tipo, base, archivo.nombre, "--ciclo", ciclo]
    if archivo.ronda is not None:
        partes += ["--ronda", str(archivo.ronda)]
    if archivo.completo:
        partes.append("--completo")
    partes += ["--at", archivo.at.isoformat(), "--actor", archivo.actor]
    if archivo.motivo:
        partes += ["--motivo", f'"{archivo.motivo}"']
    return " ".join(partes)


def _cuando(at: datetime) -> str:
    return f"{fecha_corta(at.date())} {at:%H:%M}"


def _filas(n: int) -> str:
    return f"{n:,} fila" if n == 1 else f"{n:,} filas"


def _parrafo(text: str, sangria: str = "") -> list[str]:
    return textwrap.wrap(text, width=92, initial_indent=sangria, subsequent_indent=sangria,
                         break_on_hyphens=False)  # never split a flag such as «--at»


def _con_rechazos(resumen: ResumenDemo) -> str:
    """``1 y 3``: the steps whose file has rows refused on purpose."""
    pasos = [str(n) for n, a in enumerate(resumen.archivos, start=1) if a.rechazadas]
    return " y ".join([", ".join(pasos[:-1]), pasos[-1]] if len(pasos) > 1 else pasos)


def leeme(resumen: ResumenDemo, plan: PlanCiclo) -> str:
    """The steps for a person at a terminal, and how the same steps go in the TUI (``repse
    demo`` writes this file too, beside a store where it already did steps 0 and 1)."""
    lines = [f"Datos de demostración de repse — ciclo {resumen.ciclo}", "=" * 60, ""]
    for parrafo in (
        f"Generados con «repse demo-datos --contratistas {resumen.contratistas} --semilla "
        f"{resumen.semilla}»: los mismos parámetros producen exactamente los mismos archivos. "
        "Los datos son ficticios: nombres, RFC, folios y domicilios no corresponden a personas "
        "ni empresas reales.",
        f"Padrón: {resumen.contratistas:,} contratistas (personas morales con RFC de 12 "
        "caracteres y algunas personas físicas con 13), registrados o renovados en los tres "
        "años anteriores a la fecha de consulta, así que algunos están por renovar. "
        f"Ronda 1: {resumen.ronda1:,} señalados ({resumen.negativas_ronda1:,} negativa, "
        f"{resumen.sin_opinion_ronda1:,} sin opinión). Ronda 2: {resumen.ronda2:,}. "
        f"Ronda 3: {resumen.ronda3:,}. Cancelaciones: {resumen.cancelados:,}; impedidas: "
        f"{resumen.impedidos:,}.",
        "El IMSS solo entrega los listados Negativa y Sin opinión (primero los Negativa, luego "
        "los Sin opinión) y los marca como completos (--completo): quien esperaba esa ronda y "
        "no aparece en el listado tiene opinión positiva y queda regularizado.",
        "Los archivos vienen en formatos distintos, como llegan en la práctica, y algunas filas "
        "tienen errores a propósito: la importación debe rechazarlas (o aceptarlas con aviso) "
        "diciendo archivo, fila y motivo.",
        f"Pasos del ciclo en orden, con su fecha nominal («repse plan --ciclo {resumen.ciclo}»; "
        "horas de la Ciudad de México).",
        "En la línea de órdenes: ejecute las órdenes desde esta carpeta; "
        f"«{BASE_DATOS}» es la base de datos del ejercicio. Una importación con filas "
        f"rechazadas (aquí, los pasos {_con_rechazos(resumen)}) registra la entrada y termina "
        "con estado de salida 1, para que un guion lo note: un guion con «set\u00a0-e» se "
        "detiene ahí.",
        "En la interfaz («make demo» o «repse demo»): los pasos 0 y 1 ya están hechos (el "
        "almacén de simulación demo.db y su padrón); siga desde el paso 2. Cada paso se carga "
        "con la tecla i (importar un archivo), y cada opción de la orden es un campo del "
        "diálogo: el tipo (padron, opiniones, exhorto…) es «Tipo»; el archivo, «Archivo»; "
        "--ciclo, «Ciclo»; --ronda, «Ronda»; --completo, «Lista completa» (sin él, «Lista "
        "parcial»: el diálogo pide una de las dos para cada listado del IMSS); --at, la "
        "fecha efectiva (AAAA-MM-DD HH:MM); --motivo, "
        "«Motivo»; el actor (--actor) lo pone la interfaz según el tipo. Ctrl+S acepta un "
        "diálogo y Esc lo cancela; n, d y g avanzan el reloj; F1 muestra la ayuda y q sale.",
    ):
        lines += [*_parrafo(parrafo), ""]
    lines += [" 0. Antes de empezar, cree el almacén de simulación del ejercicio:",
              f"    repse init {BASE_DATOS} --simulacion", ""]
    for n, a in enumerate(resumen.archivos, start=1):
        lines.append(f"{n:>2}. {_cuando(a.at)}  {a.paso}")
        lines += _parrafo(f"Archivo: {a.nombre} ({_filas(a.filas)}; {a.formato}).", "    ")
        if a.rechazadas:
            filas = ", ".join(str(f) for f in a.rechazadas)
            lines += _parrafo(f"Filas que deben rechazarse ({filas}): {a.motivos}.",
                              "    ")
        if a.con_aviso:
            filas = ", ".join(str(f) for f in a.con_aviso)
            lines += _parrafo(f"Filas que se aceptan con aviso ({filas}): dígito verificador "
                              "del RFC que no coincide.", "    ")
        lines.append(f"    {linea_importar(a, resumen.ciclo)}")
        if a.rechazadas:
            lines.append("    (termina con estado de salida 1: hay filas rechazadas a propósito)")
        lines.append("")
    lines += [
        "Fechas del plan nominal:",
        f"  Fecha de consulta (D0): {fecha_corta(plan.fecha_consulta)}",
        f"  Límite del exhorto: {fecha_corta(plan.limite_exhorto.date())}",
        f"  Fin del plazo de regularización: {fecha_corta(plan.fin_plazo_regularizacion)}",
        f"  Segunda consulta (D2): {fecha_corta(plan.segunda_consulta)}",
        f"  Fin del plazo para manifestar: {fecha_corta(plan.fin_plazo_audiencia)}",
        f"  Tercera consulta (D3): {fecha_corta(plan.tercera_consulta)}",
    ]
    if plan.avisos:
        lines += ["", "Avisos del plan:"]
        for aviso in plan.avisos:
            lines += textwrap.wrap(aviso, width=92, initial_indent="  - ",
                                   subsequent_indent="    ")
    return "\n".join(lines) + "\n"
