"""A GT criterion that moves a cycle's consultation date (numeral 8): cycle 2024-2, whose nominal
D0, Mon 29 Jul 2024, fell in STPS's closure of 15–31 Jul 2024 (DOF 05-07-2024, bundled in
core/data/cierres.toml)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest

from repse.core import inputs as inp
from repse.core.api import Repositorio
from repse.core.exports import exportar
from repse.core.instantanea import dump, load
from repse.core.store import Store

from .test_documentos import texto_pdf
from .test_engine import A, B, C, at, opiniones, padron

CICLO = "2024-2"
# The GT keeps D0 on a Monday, as numeral 1 fixes it, and moves it to the first Monday after
# the closure: Mon 5 Aug 2024 (Thu 1 and Fri 2 Aug are hábil, but not Mondays).
MOVIDA = "2024-08-05"
MOTIVO = "La STPS suspendió labores del 15 al 31 de julio de 2024 (DOF 05-07-2024)"


def criterio(when: str, fecha: str, texto: str = MOTIVO, **extra) -> inp.Criterio:
    return inp.Criterio(at=at(when), actor="gt", ciclo=CICLO, texto=texto,
                        efecto="mover_fecha_consulta", fecha=date.fromisoformat(fecha), **extra)


@pytest.fixture
def repo(tmp_path):
    # The bundled calendar: STPS's 2024 closures apply.
    r = Repositorio.crear(tmp_path / "c.db", simulacion=True)
    # STPS delivers the padrón when it is back from the closure, Thu 1 Aug 2024.
    r.registrar(padron("2024-08-01T09:00:00", CICLO, A, B, C, fecha_registro="2023-06-01"))
    yield r
    r.store.close()


def obligacion(repo: Repositorio, clave: str):
    (o,) = [o for o in repo.vista().agenda(CICLO) if o.clave == clave]
    return o


def test_the_criterion_moves_d0_for_the_whole_padron_and_is_in_the_history(repo):
    r = repo.registrar(criterio("2024-08-01T12:00:00", MOVIDA))
    assert (r.aceptada, r.aceptadas, r.avisos) == (True, 1, [])
    vista = repo.vista()
    assert vista.fecha_consulta(CICLO) == date(2024, 8, 5)
    # The padrón and round-1 obligations are due on the moved D0: the padrón of 1 Aug 09:00 is
    # on time for 5 Aug 10:00 (it was late for the nominal 29 Jul 10:00).
    padron_o = obligacion(repo, "padron")
    assert (padron_o.limite, padron_o.estado) == (at("2024-08-05T10:00:00"), "cumplida")
    listado = obligacion(repo, "listado_inicial")
    assert (listado.limite, listado.estado) == (at("2024-08-05T18:00:00"), "pendiente")
    for rfc in (A, B, C):
        (paso,) = [p for p in vista.historial(rfc) if p.evento == "criterio_fecha_consulta"]
        assert (paso.entrada, paso.actor, paso.ciclo) == (r.numero, "gt", CICLO)
        assert paso.fundamento == "Mecanismo, numeral 8 (criterio específico del GT)"
        assert paso.nota == ("fecha de consulta movida del lun 29-07-2024 al lun 05-08-2024: "
                             + MOTIVO)


def test_without_the_criterion_the_padron_of_1_august_is_late(repo):
    padron_o = obligacion(repo, "padron")
    assert (padron_o.limite, padron_o.estado) == (at("2024-07-29T10:00:00"), "extemporanea")
    assert repo.vista().fecha_consulta(CICLO) == date(2024, 7, 29)


def test_the_exhorto_window_obligations_and_letters_follow_the_moved_d0(repo, tmp_path):
    repo.registrar(criterio("2024-08-01T12:00:00", MOVIDA))
    repo.registrar(opiniones("2024-08-05T17:00:00", CICLO, 1, True,
                             **{B: "negativa", C: "sin_opinion"}))
    assert obligacion(repo, "listado_inicial").estado == "cumplida"
    # 3 joint hábil days after Mon 5 Aug: 6, 7, 8 Aug → Thu 8 Aug 2024, end of the day.
    exhorto = obligacion(repo, "exhorto")
    assert (exhorto.limite, exhorto.estado, exhorto.contratistas) == (
        at("2024-08-08T23:59:59"), "pendiente", 2)
    plazo = repo.vista().estado(B).proximo_plazo
    assert (plazo.plazo, plazo.fecha) == ("limite_exhorto", date(2024, 8, 8))

    files = exportar(repo.vista(), CICLO, tmp_path / "ronda1", ronda=1)
    letter = texto_pdf(next(p for p in files if p.name == f"exhorto_{B}.pdf"))
    # The letter cites the moved D0; notified by default on the window's last day, Thu 8 Aug,
    # the 30 natural days run 9 Aug … Sat 7 Sep, extended to Mon 9 Sep.
    assert "realizada el 5 de agosto de 2024 (fecha de consulta)" in letter
    assert "surte efectos el 8 de agosto de 2024" in letter
    assert "El plazo vence el 9 de septiembre de 2024" in letter
    lista = next(p for p in files if p.name.endswith("negativa.csv"))
    rows = list(csv.reader(io.StringIO(lista.read_text(encoding="utf-8-sig"))))
    assert rows[1][:5] == [B, f"Empresa {B}", "F-1", "Negativa", "2024-08-05"]


def test_round_1_before_the_moved_d0_counts_the_exhorto_window_from_d0(repo):
    repo.registrar(criterio("2024-08-01T12:00:00", MOVIDA))
    # IMSS deposits early, Fri 2 Aug: the exhorto cites D0 (5 Aug), so its 3 joint hábil days
    # are still 6, 7, 8 Aug, not 5, 6, 7 Aug.
    repo.registrar(opiniones("2024-08-02T17:00:00", CICLO, 1, True, **{B: "negativa"}))
    assert obligacion(repo, "exhorto").limite == at("2024-08-08T23:59:59")


def test_a_criterion_after_round_1_is_refused_with_its_reason(repo):
    repo.registrar(opiniones("2024-08-01T17:00:00", CICLO, 1, True, **{B: "negativa"}))
    r = repo.registrar(criterio("2024-08-02T10:00:00", MOVIDA))
    assert not r.aceptada
    assert r.motivo == (
        "la fecha de consulta del ciclo 2024-2 ya no puede moverse: las opiniones de la ronda 1 "
        "se recibieron el 01-08-2024 17:00 con la fecha de consulta del lun 29-07-2024, que "
        "citan los listados y los exhortos y de la que cuenta el plazo del exhorto; el criterio "
        "debe ser anterior a esas opiniones")
    vista = repo.vista()
    assert vista.fecha_consulta(CICLO) == date(2024, 7, 29)
    assert vista.reloj == at("2024-08-01T17:00:00")  # a refused input moves nothing
    # The exhorto window counted from the day round 1 arrived: 2, 5, 6 Aug → Tue 6 Aug.
    assert obligacion(repo, "exhorto").limite == at("2024-08-06T23:59:59")


def test_a_consultation_date_already_past_is_refused(repo):
    r = repo.registrar(criterio("2024-08-01T12:00:00", "2024-07-31"))
    assert not r.aceptada
    assert r.motivo == ("la nueva fecha de consulta (mié 31-07-2024) es anterior al criterio "
                        "(01-08-2024): la consulta no puede fijarse en un día ya pasado")


def test_a_moved_d0_that_is_not_habil_is_accepted_with_a_warning(repo):
    r = repo.registrar(criterio("2024-08-01T12:00:00", "2024-08-03"))  # a Saturday
    assert r.aceptada
    assert [a.motivo for a in r.avisos] == [
        "La nueva fecha de consulta sáb 03-08-2024 no es día hábil (sábado)."]


def test_annulling_the_criterion_restores_the_nominal_d0(repo):
    r = repo.registrar(criterio("2024-08-01T12:00:00", MOVIDA))
    repo.registrar(inp.Anulacion(at=at("2024-08-01T13:00:00"), actor="gt", entrada=r.numero,
                                 motivo="capturado por error"))
    vista = repo.vista()
    assert vista.fecha_consulta(CICLO) == date(2024, 7, 29)
    assert not [p for p in vista.historial(A) if p.evento == "criterio_fecha_consulta"]


def test_the_moved_d0_survives_a_snapshot_and_a_replay(repo, tmp_path):
    repo.registrar(criterio("2024-08-01T12:00:00", MOVIDA))
    expected = dump(repo.engine)
    assert dump(load(expected)) == expected
    repo.cerrar()
    reopened = Repositorio.abrir(tmp_path / "c.db")
    assert reopened.vista().fecha_consulta(CICLO) == date(2024, 8, 5)
    assert dump(reopened.engine) == expected
    reopened.store.db.execute("DELETE FROM instantanea")
    replayed = Repositorio(Store(tmp_path / "c.db"))
    assert dump(replayed.engine) == expected


_BASE = '"tipo": "criterio", "at": "2024-08-01T12:00", "actor": "gt", "ciclo": "2024-2", ' \
        '"texto": "cierre de la STPS"'


@pytest.mark.parametrize(("campos", "motivo"), [
    ('"efecto": "mover_fecha_consulta"',
     "un criterio «mover_fecha_consulta» debe decir la nueva fecha de consulta en «fecha» "
     "(AAAA-MM-DD)"),
    (f'"efecto": "mover_fecha_consulta", "fecha": "2024-08-05", "rfcs": ["{A}"]',
     "un criterio «mover_fecha_consulta» mueve la fecha de consulta de todo el padrón del "
     "ciclo: no lleva «rfcs» ni «filas»"),
    ('"efecto": "excluir"', "un criterio «excluir» debe decir a quién excluye en «rfcs»"),
    (f'"efecto": "excluir", "rfcs": ["{A}"], "fecha": "2024-08-05"',
     "un criterio «excluir» no lleva «fecha»: solo un criterio «mover_fecha_consulta» mueve la "
     "fecha de consulta"),
])
def test_the_fields_of_a_criterion_depend_on_its_effect(campos, motivo):
    with pytest.raises(inp.InputError) as exc:
        inp.decode("{" + _BASE + ", " + campos + "}")
    assert exc.value.motivo == motivo


def test_a_criterion_that_moves_d0_names_no_rfc_and_encodes_its_date():
    entrada = inp.decode("{" + _BASE + ', "efecto": "mover_fecha_consulta", '
                         '"fecha": "2024-08-05"}')
    assert entrada.fecha == date(2024, 8, 5) and entrada.rfcs is None
    assert inp.decode(inp.encode(entrada)) == entrada
    assert isinstance(entrada.at, datetime)
