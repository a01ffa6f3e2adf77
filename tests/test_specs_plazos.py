"""The spec book carries the rules a reviewer checks a date against — every plazo with what it
counts, its calendar and its basis, the statutory rest days and each closure with its DOF source —
so that nothing outside the repository is needed (issue 13, point 8)."""

from __future__ import annotations

from repse.core.calendars import calendarios
from repse.core.specs import especificacion


def seccion(texto: str) -> str:
    return texto.split("## 7. Plazos, cortes y calendarios")[1]


def test_every_plazo_has_its_count_calendar_and_basis():
    texto = seccion(especificacion())
    for fila in (
        "| Fin del plazo de regularización (contratista) | 30 días naturales desde el día "
        "siguiente a la notificación del exhorto; si el último es inhábil, se prorroga",
        "| Fin del plazo para manifestar (contratista) | 5 días hábiles desde el día siguiente "
        "a la notificación del inicio (reglas 1 y 3) | de la STPS (procedimiento de "
        "cancelación) |",
        "| Padrón del ciclo (STPS) | la fecha de consulta (D0): último lunes de enero o de julio "
        "| fecha fija | D0 a las 10:00 | Mecanismo, numerales 1 y 9 |",
        "| Fin del plazo para resolver la renovación (STPS) | 20 días hábiles",
    ):
        assert fila in texto


def test_the_calendars_name_their_sources():
    texto = seccion(especificacion())
    # LFT art. 74: the first Monday of February 2026 is the 2nd; the handover of the federal
    # executive (fr. VII) falls on 1 October every six years from 2024, so next in 2030.
    assert "- lun 02-02-2026: primer lunes de febrero" in texto
    assert "por ejemplo el mar 01-10-2030): transmisión del Poder Ejecutivo Federal" in texto
    assert "| STPS | lun 15-07-2024 | mié 31-07-2024 | DOF 05-07-2024 | renovacion |" in texto
    assert "- IMSS: ninguno." in texto


def test_the_closures_listed_are_those_in_force(tmp_path):
    archivo = tmp_path / "propio.toml"
    archivo.write_text('[[revisado]]\nautoridad = "imss"\nanio = 2026\n'
                       'fuente = "sin acuerdo publicado"\n', encoding="utf-8")
    texto = seccion(especificacion(calendarios(archivo)))
    assert "- Ninguno." in texto and "DOF 05-07-2024" not in texto
    assert "- IMSS: 2026." in texto
    assert "- Revisado sin cierres: IMSS 2026 (sin acuerdo publicado)." in texto
