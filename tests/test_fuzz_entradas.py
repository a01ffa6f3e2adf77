"""Fuzzing the boundaries with the shapes an adversarial run tried: no line or file, however
malformed, crashes the product; every line is recorded once, refused with its reason if it does
not fit, and the lines after it are still processed."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repse.core.api import Repositorio

VALIDO = {"tipo": "reloj", "at": "2026-02-02T09:00:00", "actor": "gt"}

# Values that broke the JSON Lines path (D6, D7, D8) and their neighbours.
FECHAS = st.sampled_from([
    "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00",
    "9998-02-01T09:00:00", "2026-02-30T09:00:00", "2026-01-26T25:00:00", "2026-01-26",
    "1999-12-31T23:59:59", "2101-01-01T00:00:00", "2026-01-26T09:00:00", "", "hoy",
]) | st.text(max_size=30)
CICLOS = st.sampled_from(["0000-1", "9999-2", "2026-3", "2026-1", "26-1", "", "2026-0"]) \
    | st.text(max_size=10)
TEXTOS = st.sampled_from([
    "GAMMA\x1b[2J\x1b[31mTERMINAL\x07", "=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0",
    "@SUM(1+1)", "-1+1", "<script>alert(1)</script>", "# Título falso", "| a | b |",
    "x" * 5000, "línea\nnueva", "\u202eRTL", "\u200b", "",
]) | st.text(max_size=40)
RFCS = st.sampled_from(["MAB9307148T4", "Bß9307148T0", "XAXX010101000", "mab9307148t4 ",
                        "AEL74O7151YA", ""]) | st.text(max_size=14)
TIPOS = st.sampled_from(["padron", "opiniones", "exhorto", "inicio_cancelacion", "cancelacion",
                         "cancelacion_impedida", "criterio", "cancelacion_registro",
                         "manifestacion", "renovacion", "anulacion", "calendario", "reloj",
                         "desconocido"])


def anidado(profundidad: int) -> str:
    return '{"a":' * profundidad + "1" + "}" * profundidad


@st.composite
def lineas(draw) -> bytes:
    forma = draw(st.integers(0, 5))
    if forma == 0:  # nesting (RecursionError in D7)
        return anidado(draw(st.sampled_from([10, 600, 1000, 5000]))).encode()
    if forma == 1:  # not JSON, or not an object
        return draw(st.sampled_from([b"", b"{", b"[]", b"null", b"\xff\xfe", b"1e999999",
                                     b'"texto"', b"[" * 3000 + b"]" * 3000]))
    objeto = {"tipo": draw(TIPOS), "at": draw(FECHAS),
              "actor": draw(st.sampled_from(["imss", "stps", "gt", "IMSS", "", "nadie"]))}
    if draw(st.booleans()):
        objeto["ciclo"] = draw(CICLOS)
    if forma == 2:
        objeto["contratistas"] = [{"rfc": draw(RFCS), "razon_social": draw(TEXTOS),
                                   "folio": draw(TEXTOS), "fecha_registro":
                                   draw(st.sampled_from(["2025-01-01", "9998-01-15",
                                                         "0001-01-01", "2025-02-30"]))}]
    elif forma == 3:
        objeto["ronda"] = draw(st.sampled_from([1, 2, 3, "diaria", 4, "1", None]))
        objeto["resultados"] = [{"rfc": draw(RFCS), "opinion": draw(st.sampled_from(
            ["positiva", "negativa", "sin_opinion", "Positiva?", "¡Negativa!"]))}]
        objeto["completo"] = draw(st.booleans())
    elif forma == 4:
        objeto["rfcs"] = [draw(RFCS)]
        objeto["motivo"] = draw(TEXTOS)
        objeto["texto"] = draw(TEXTOS)
        objeto["entrada"] = draw(st.integers(-2, 2**70))
    else:
        objeto[draw(st.text(max_size=8))] = draw(TEXTOS)
        objeto["usuario"] = draw(TEXTOS)
    return json.dumps(objeto, ensure_ascii=draw(st.booleans())).encode()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(lineas(), min_size=1, max_size=6))
def test_no_line_crashes_and_every_line_is_recorded_once(tmp_path_factory, lotes):
    db = tmp_path_factory.mktemp("fuzz") / "f.db"
    repo = Repositorio.crear(db, simulacion=True)
    try:
        for linea in [*lotes, json.dumps(VALIDO).encode()]:
            antes = repo.vista().version
            r = repo.registrar_linea(linea, archivo="fuzz.jsonl")
            assert r.numero == antes + 1  # recorded once, in order
            if not r.aceptada:
                assert r.motivo and "Traceback" not in r.motivo
        # The valid line after every malformed one is still processed.
        assert r.aceptada or "anterior a la última entrada" in (r.motivo or "")
        assert repo.vista().version == len(lotes) + 2
        repo.vista().contratistas()  # the state stays readable
    finally:
        repo.cerrar()
