"""The boundary of the JSON Lines format: a line that is not a sane input is refused with a
Spanish reason naming the field, recorded, and the lines after it are processed."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from repse.core import inputs
from repse.core.api import Repositorio
from repse.core.errors import RepseError
from repse.core.inputs import InputError, decode
from repse.tui.cli import main

PADRON = {"tipo": "padron", "at": "2026-01-26T09:00:00", "actor": "stps", "ciclo": "2026-1",
          "contratistas": [{"rfc": "MAB9307148T4", "razon_social": "Servicios del Bajío",
                            "folio": "REPSE-0001", "fecha_registro": "2025-01-01"}]}
RELOJ = {"tipo": "reloj", "at": "2026-01-27T00:00:00", "actor": "gt"}


def _con(base: dict, **cambios) -> bytes:
    return json.dumps({**base, **cambios}).encode()


def _fila(**cambios) -> bytes:
    return _con(PADRON, contratistas=[{**PADRON["contratistas"][0], **cambios}])


MAX = inputs.MAX_RAZON_SOCIAL
LARGA = "x" * (MAX + 1)


@pytest.mark.parametrize(("linea", "motivo"), [
    (_con(RELOJ, at="9999-12-31T23:59:59-12:00"), "«at»: fecha fuera del intervalo admitido"),
    (_con(RELOJ, at="0001-01-01T00:00:00+14:00"), "«at»: fecha fuera del intervalo admitido"),
    (_con(RELOJ, at="1999-12-31T23:59:59"), "«at»: fecha fuera del intervalo admitido"),
    (_con(RELOJ, at="2101-01-01T00:00:00"), "«at»: fecha fuera del intervalo admitido"),
    (_fila(fecha_registro="9998-01-15"),
     r"«fecha_registro»: fecha fuera del intervalo admitido \(2000-01-01 a 2100-12-31\): "
     r"9998-01-15 \(en \$\.contratistas\[0\]\)"),
    (_con(PADRON, ciclo="0000-1"), r"ciclo no válido «0000-1».*\(en \$\.ciclo\)"),
    (_con(PADRON, ciclo="2026-3"), r"ciclo no válido «2026-3».*\(en \$\.ciclo\)"),
    (_con(PADRON, ciclo="2101-1"), r"ciclo no válido «2101-1».*\(en \$\.ciclo\)"),
    (b'{"a":' * 1000 + b"1" + b"}" * 1000, "JSON anidado a demasiada profundidad"),
    (_con(RELOJ, usuario="ana\x1b[2J"), "el campo «usuario» tiene caracteres de control"),
    (_fila(razon_social="GAMMA\x1b[2J\x1b[31mTERMINAL\x07"),
     r"el campo «razon_social» tiene caracteres de control \(U\+001B\) "
     r"\(en \$\.contratistas\[0\]\)"),
    (json.dumps({**PADRON, "contratistas": [{**PADRON["contratistas"][0],
                                             "folio": "F\u0085\u00ed"}]},
                ensure_ascii=False).encode(),  # a raw C1 character, in UTF-8
     r"el campo «folio» tiene caracteres de control \(U\+0085\)"),
    (_fila(domicilio="Calle 1\n\n## Sección falsa"),
     "el campo «domicilio» tiene caracteres de control"),
    (_fila(razon_social=LARGA),
     rf"texto demasiado largo \(máximo {MAX} caracteres\) "
     r"\(en \$\.contratistas\[0\]\.razon_social\)"),
    (_con({"tipo": "cancelacion_registro", "at": "2026-02-01T00:00:00", "actor": "stps",
           "rfcs": ["MAB9307148T4"], "motivo": "no renovó\x00"}),
     "el campo «motivo» tiene caracteres de control"),
    (_con({"tipo": "criterio", "at": "2026-02-01T00:00:00", "actor": "gt", "ciclo": "2026-1",
           "rfcs": ["MAB9307148T4"], "efecto": "excluir", "texto": "t" * 10_001}),
     r"el campo «texto» es demasiado largo: 10,001 caracteres; máximo 10,000"),
])
def test_a_line_that_is_not_a_sane_input_is_refused_naming_the_field(linea, motivo):
    with pytest.raises(InputError, match=motivo):
        decode(linea, 7)


def test_the_bounds_themselves_are_accepted():
    primero = decode(_con(RELOJ, at="2000-01-01T00:00:00"))
    ultimo = decode(_con(RELOJ, at="2100-12-31T23:59:59"))
    assert (primero.at.year, ultimo.at.year) == (2000, 2100)
    assert str(decode(_con(PADRON, ciclo="2100-2")).ciclo) == "2100-2"
    exacta = "x" * MAX
    assert decode(_fila(razon_social=exacta)).contratistas[0].razon_social == exacta


def test_repse_registrar_records_each_bad_line_and_goes_on(tmp_path, capsys):
    db = tmp_path / "s.db"
    assert main(["init", str(db), "--simulacion"]) == 0
    lineas = [_con(PADRON), _con(RELOJ, at="9999-12-31T23:59:59-12:00"),
              _con(PADRON, ciclo="0000-1"), b'{"a":' * 1000 + b"1" + b"}" * 1000,
              _fila(razon_social="GAMMA\x1b[2J"), _con(RELOJ)]
    archivo = tmp_path / "e.jsonl"
    archivo.write_bytes(b"\n".join(lineas) + b"\n")
    capsys.readouterr()
    assert main(["registrar", str(db), str(archivo), "--json"]) == 1
    respuestas = json.loads(capsys.readouterr().out)
    assert [r["aceptada"] for r in respuestas] == [True, False, False, False, False, True]
    assert all("línea" in r["motivo"] for r in respuestas[1:5])
    numeros = [r["numero"] for r in respuestas]  # each line recorded once, in order
    assert numeros == list(range(numeros[0], numeros[0] + 6))


def test_repse_plan_refuses_a_cycle_out_of_range_in_one_line(capsys):
    assert main(["plan", "--ciclo", "0000-1"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("repse: error: ciclo no válido «0000-1»")
    assert err.count("\n") == 1


def test_an_input_with_a_bad_cycle_cannot_even_be_built(tmp_path):
    # Once refused (and recorded) by the engine; now the boundary refuses it, however built.
    with pytest.raises(RepseError, match="ciclo no válido «2026-3»"):
        inputs.Exhorto(at=datetime(2026, 8, 1), actor="gt", ciclo="2026-3", rfcs=("X",))
    with pytest.raises(InputError, match=r"ciclo no válido «2026-3».*\(en \$\.ciclo\)"):
        inputs.construir(inputs.Exhorto, at="2026-08-01T00:00:00", actor="gt", ciclo="2026-3",
                         rfcs=("X",))
    repo = Repositorio.crear(tmp_path / "r.db", simulacion=True)
    try:
        r = repo.registrar_linea(_con(PADRON, ciclo="2026-3"))
        assert not r.aceptada and "ciclo no válido «2026-3»" in r.motivo
        assert any(x.linea == r.numero and "2026-3" in x.motivo for x in repo.rechazos())
    finally:
        repo.cerrar()


def test_rows_built_from_a_file_are_held_to_the_same_bounds():
    fila = inputs.FilaPadron("MAB9307148T4", "x" * (MAX + 1), "1", date(2025, 1, 1))
    with pytest.raises(InputError, match=rf"el campo «razon_social» es demasiado largo: "
                                         rf"{MAX + 1} caracteres; máximo {MAX} "
                                         r"\(en \$\.contratistas\[0\]\)"):
        inputs.construir(inputs.Padron, at="2026-01-26T09:00:00", actor="stps", ciclo="2026-1",
                         contratistas=(fila,))


def test_escaped_text_without_control_characters_is_accepted():
    # json.dumps escapes accents and quotes: a false alarm of the fast scan, not a refusal.
    linea = _fila(razon_social='Servicios "El Águila" del Bajío', domicilio="C:\\new 5")
    fila = decode(linea).contratistas[0]
    assert (fila.razon_social, fila.domicilio) == ('Servicios "El Águila" del Bajío', "C:\\new 5")


def test_the_clock_refuses_an_absurd_moment_with_a_reason(tmp_path):
    # The CLI's own parser (tui/texto.parse_instant) converts before core sees the time; it
    # should call inputs.momento, which is what every input runs.
    lejos = datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-12)))
    with pytest.raises(RepseError, match="«at»: fecha fuera del intervalo admitido"):
        inputs.momento(lejos)
    repo = Repositorio.crear(tmp_path / "r.db", simulacion=True)
    try:
        with pytest.raises(RepseError, match="«at»: fecha fuera del intervalo admitido"):
            repo.avanzar(lejos)
    finally:
        repo.cerrar()
