"""What the reports of a period (LSS art. 15 A) produce for the institutions, from the read
model: the list of the contractors in breach with the fine range in pesos (LSS art. 304 B,
fracción V: 500 to 2,000 times the UMA in force the day after the due date), and IMSS's notice
of the breaches to STPS (art. 15 A, last paragraph; by institutional e-mail, Mecanismo numeral
9). One export folder, like a round's (:class:`~repse.core.exports.Carpeta`): deterministic,
with its manifest."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from .declaraciones import UMAS_MAX, UMAS_MIN, TablaUma, cargar_uma, pesos, rango_multa
from .documentos import fecha_larga
from .etiquetas import ESTADO
from .exports import Carpeta, Manifiesto, _pie, csv_bytes, md_texto, xlsx_bytes
from .vista import Incumplimiento, Vista

OMISOS_HEADERS = ("RFC", "Razón social", "Folio REPSE", "Estado", "Presentada el",
                  "Multa impuesta (UMA)", f"Multa mínima ({UMAS_MIN} UMA, pesos)",
                  f"Multa máxima ({UMAS_MAX:,} UMA, pesos)", "UMA diaria (pesos)")


def uma_de_la_infraccion(vista: Vista, periodo: str, tabla: TablaUma | None = None
                         ) -> tuple[date, Decimal | None]:
    """The day of the breach (the day after the due date) and the daily UMA in force then
    (None: the table has no value for that day)."""
    dia = vista.resumen_declaraciones(periodo).vence + timedelta(days=1)
    return dia, (tabla or cargar_uma()).valor(dia)


def omisos_filas(incumplimientos: list[Incumplimiento], uma: Decimal | None
                 ) -> list[tuple[object, ...]]:
    minimo, maximo = rango_multa(uma) if uma is not None else ("", "")
    return [(x.rfc, x.razon_social, x.folio, ESTADO[x.estado],
             x.presentada.isoformat() if x.presentada else "", x.umas or "",
             pesos(minimo) if uma else "", pesos(maximo) if uma else "",
             f"{uma}" if uma else "") for x in incumplimientos]


def informe_stps(vista: Vista, periodo: str, incumplimientos: list[Incumplimiento]) -> str:
    """IMSS's notice to STPS of the contractors that did not report ``periodo`` in time."""
    resumen = vista.resumen_declaraciones(periodo)
    lines = [
        "# Aviso: incumplimiento de la información cuatrimestral de contratos",
        "",
        f"**Periodo {resumen.periodo}** — vencimiento: {fecha_larga(resumen.vence)}",
        "",
        "**De:** Instituto Mexicano del Seguro Social\\",
        "**Para:** Secretaría del Trabajo y Previsión Social",
        "**Medio:** correo electrónico institucional (Mecanismo, numeral 9)",
        "",
        "Con fundamento en el último párrafo del artículo 15 A de la Ley del Seguro Social, el "
        "Instituto informa a esa Secretaría, para los efectos señalados en la Ley Federal del "
        "Trabajo, que los contratistas siguientes no proporcionaron, o proporcionaron fuera del "
        "plazo legal, la información de los contratos celebrados en el cuatrimestre (LSS art. "
        "15 A, tercer párrafo; infracción del art. 304 A, fracción XXII).",
        "",
        f"Total: {len(incumplimientos)} contratistas.",
        "",
    ]
    if incumplimientos:
        lines += ["| RFC | Razón social | Folio REPSE | Situación |", "|---|---|---|---|"]
        lines += [f"| {md_texto(x.rfc)} | {md_texto(x.razon_social)} | {md_texto(x.folio)} | "
                  f"{ESTADO[x.estado]} |" for x in incumplimientos]
    else:
        lines.append("(ninguno)")
    lines += ["", "Atentamente,", "", "Instituto Mexicano del Seguro Social", ""]
    return "\n".join(lines) + _pie(vista.ancla)


def exportar_declaraciones(vista: Vista, periodo: str, destino: Path,
                           uma: TablaUma | None = None) -> list[Path]:
    """Write, as the folder ``destino``, the breaches of ``periodo`` with the fine range (CSV
    and XLSX) and the notice to STPS of those not informed yet; ``uma``: the operator's UMA
    table (the bundled one by default)."""
    resumen = vista.resumen_declaraciones(periodo)
    todos = vista.incumplimientos(periodo)
    por_informar = [x for x in todos if x.estado != "informada"]
    _, valor = uma_de_la_infraccion(vista, periodo, uma)
    with Carpeta(destino) as carpeta:
        filas = omisos_filas(todos, valor)
        nombre = f"omisos_{resumen.periodo}"
        carpeta.write(f"{nombre}.csv", csv_bytes(OMISOS_HEADERS, filas, vista.ancla), len(filas))
        carpeta.write(f"{nombre}.xlsx", xlsx_bytes(f"Omisos {resumen.periodo}", OMISOS_HEADERS,
                                                   filas, vista.ancla), len(filas))
        carpeta.write(f"informe_stps_{resumen.periodo}.md",
                      informe_stps(vista, periodo, por_informar), len(por_informar))
        return carpeta.cerrar(Manifiesto(resumen.periodo, None, None, vista.ancla,
                                         carpeta.archivos))
