"""Corrections cost what follows them: a retroactive input or an annulment is replayed from the
newest checkpoint before it (kept after each padrón and each large input; on disk, those of the
latest cycle, each as what differs from the head's snapshot), and the state it leaves is byte
for byte the state a replay of the whole log gives; the contractors it reports changed are those
whose displayed state differs, RFC by RFC."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repse.core import inputs as inp
from repse.core.api import Cambio, Repositorio, _conservar, _Log, _Punto, verificar
from repse.core.instantanea import base_de, dump, dump_relativo, leer, load
from repse.core.store import Store, resumen_instantanea
from repse.core.vista import Vista, _cambios_por_rfc

from .test_engine import acto, at, opiniones, padron
from .test_replay_property import RFCS, entrada

# D0 of each cycle: the last Monday of January or July (numerales 1 y 2).
CICLOS = [("2026-1", "2026-01-26"), ("2026-2", "2026-07-27"), ("2027-1", "2027-01-25")]


def completo(repo: Repositorio) -> bytes:
    """The state a replay of the whole log gives, from its first input, no checkpoint."""
    return dump(repo.log.replay(repo.inicial).engine)


def padron_de(ciclo: str, d0: str) -> inp.Padron:
    return padron(f"{d0}T09:00:00", ciclo, *RFCS, fecha_registro="2025-06-01")


@st.composite
def historias(draw):
    """Three cycles: each a padrón at its D0, then inputs of that cycle; now and then one dated
    back (retroactive), an annulment of an earlier input, or the store closed and reopened."""
    steps: list[tuple[str, object]] = []
    for ciclo, d0 in CICLOS:
        when = at(f"{d0}T09:00:00")
        steps.append(("entrada", padron_de(ciclo, d0)))
        for _ in range(draw(st.integers(0, 6))):
            when = when + timedelta(hours=draw(st.integers(0, 24 * 15)))
            kind = draw(st.sampled_from(["entrada"] * 6 + ["retro", "retro", "anular",
                                                           "reabrir"]))
            if kind == "anular":
                steps.append(("anular", (when, draw(st.integers(1, 40)))))
            elif kind == "reabrir":
                steps.append(("reabrir", None))
            else:
                e = draw(entrada(when, ciclo))
                if kind == "retro":
                    e = type(e)(**{**{f: getattr(e, f) for f in e.__struct_fields__},
                                   "at": when - timedelta(days=draw(st.integers(1, 250))),
                                   "retroactivo": True})
                steps.append(("entrada", e))
    return steps


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(historias(), st.booleans())
def test_a_correction_leaves_the_state_a_whole_replay_gives(tmp_path_factory, steps, denso):
    db = tmp_path_factory.mktemp("c") / "c.db"
    # ``denso``: a checkpoint after every input with rows, not only after the padrones. Every
    # column of a reopened store's state, not only the large ones, is shared by its copies.
    with mock.patch("repse.core.api._LARGE", 0 if denso else 5_000), \
            mock.patch("repse.core.motor.compartida._MINIMO", 1):
        repo = Repositorio.crear(db, simulacion=True)
        for kind, step in steps:
            if kind == "reabrir":
                repo.cerrar()
                repo = Repositorio.abrir(db)
                continue
            if kind == "anular":
                when, numero = step
                step = inp.Anulacion(at=when, actor="gt", entrada=numero, motivo="error")
            antes = Vista(repo.engine.copia(), congelado=True)
            r = repo.registrar(step)
            if r.aceptada and (step.retroactivo or kind == "anular"):
                assert dump(repo.engine) == completo(repo)
                assert r.cambios == por_rfc(antes, repo)
        in_memory = dump(repo.engine)
        assert in_memory == completo(repo)
        repo.cerrar()
        assert dump(Repositorio(Store(db)).engine) == in_memory


def por_rfc(antes: Vista, repo: Repositorio) -> list[Cambio]:
    """The contractors whose displayed state differs, matched by RFC one by one."""
    return [Cambio(*c) for c in _cambios_por_rfc(antes, Vista(repo.engine, congelado=True))]


class Espia:
    """Which checkpoint each replay started from (its input's number; None: the first)."""

    def __init__(self) -> None:
        self.desde: list[int | None] = []
        self._original = _Log.replay

    def __enter__(self) -> Espia:
        def replay(log, *args, **kwargs):
            out = self._original(log, *args, **kwargs)
            self.desde.append(out.punto)
            return out

        self._patch = mock.patch.object(_Log, "replay", replay)
        self._patch.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._patch.__exit__(*exc)


def dos_ciclos(db) -> Repositorio:
    """Inputs 2 (padrón 2026-1) to 7: two cycles, each a padrón, a round-1 list, an exhorto."""
    repo = Repositorio.crear(db, simulacion=True)
    for e in (padron_de("2026-1", "2026-01-26"),
              opiniones("2026-01-26T17:00:00", "2026-1", 1, completo=True,
                        MAB9307148T4="negativa"),
              acto(inp.Exhorto, "2026-01-28T10:00:00", "2026-1", "MAB9307148T4", actor="gt"),
              padron_de("2026-2", "2026-07-27"),
              opiniones("2026-07-27T17:00:00", "2026-2", 1, completo=True,
                        GODE561231GR8="negativa"),
              acto(inp.Exhorto, "2026-07-29T10:00:00", "2026-2", "GODE561231GR8", actor="gt")):
        assert repo.registrar(e).aceptada
    return repo


def manifestacion_tardia() -> inp.Manifestacion:
    """A statement received on 28 Jul 2026 and recorded late, after the 2026-2 exhorto: a
    correction inside the latest cycle whose one row applies (an input none of whose rows
    applies is refused whole, so it corrects nothing)."""
    return inp.Manifestacion(at=at("2026-07-28T12:00:00"), actor="stps", ciclo="2026-2",
                             rfc="GODE561231GR8", resumen="escrito de la contratista",
                             retroactivo=True)


def corregir(repo: Repositorio, e: inp.Entrada) -> int | None:
    """Record a correction; check it left the whole replay's state; say where it started."""
    with Espia() as espia:
        r = repo.registrar(e)
    assert r.aceptada, r.motivo
    assert dump(repo.engine) == completo(repo)
    return espia.desde[0]


def test_a_retroactive_opinion_in_the_latest_cycle_replays_that_cycle_alone(tmp_path):
    repo = dos_ciclos(tmp_path / "c.db")
    tarde = manifestacion_tardia()
    assert corregir(repo, tarde) == 5


def test_annulling_the_latest_input_replays_from_the_latest_padron(tmp_path):
    repo = dos_ciclos(tmp_path / "c.db")
    assert repo.estado().contratistas["GODE561231GR8"].estado == "exhortado"
    assert corregir(repo, inp.Anulacion(at=at("2026-07-30T09:00:00"), actor="gt", entrada=7,
                                        motivo="exhorto enviado por error")) == 5
    assert repo.estado().contratistas["GODE561231GR8"].estado == "senalado"


def test_an_input_dated_before_a_checkpoint_falls_back_to_an_older_one(tmp_path):
    repo = dos_ciclos(tmp_path / "c.db")
    olvidada = acto(inp.Criterio, "2026-03-02T10:00:00", "2026-1", "MAB9307148T4", actor="gt",
                    texto="convenio", efecto="excluir", retroactivo=True)
    assert corregir(repo, olvidada) == 2  # before the 2026-2 padrón: from 2026-1's
    # The 2026-2 checkpoint no longer reflects the log: never used again.
    tarde = manifestacion_tardia()
    assert corregir(repo, tarde) == 2


def test_annulling_an_input_before_a_checkpoint_falls_back_to_an_older_one(tmp_path):
    repo = dos_ciclos(tmp_path / "c.db")
    assert corregir(repo, inp.Anulacion(at=at("2026-07-30T09:00:00"), actor="imss", entrada=3,
                                        motivo="lista equivocada")) == 2
    # Annulling the annulment restores the list: every contractor as before both; the clock
    # has reached the second annulment's date (an annulment does not move it back).
    antes = dos_ciclos(tmp_path / "d.db").estado().contratistas
    assert corregir(repo, inp.Anulacion(at=at("2026-07-30T10:00:00"), actor="gt", entrada=8,
                                        motivo="la lista era correcta")) == 2
    assert repo.estado().contratistas == antes
    assert repo.vista().reloj == at("2026-07-30T10:00:00")


def test_an_annulled_padron_starts_the_replay_before_it(tmp_path):
    repo = dos_ciclos(tmp_path / "c.db")
    assert corregir(repo, inp.Anulacion(at=at("2026-07-30T09:00:00"), actor="stps", entrada=5,
                                        motivo="padrón equivocado")) == 2


def test_a_correction_after_reopening_starts_from_the_checkpoint_on_disk(tmp_path):
    db = tmp_path / "c.db"
    dos_ciclos(db).cerrar()
    repo = Repositorio.abrir(db)
    assert not repo.avisos
    tarde = manifestacion_tardia()
    assert corregir(repo, tarde) == 5
    assert not repo.avisos


def test_an_altered_checkpoint_on_disk_is_discarded_with_a_warning(tmp_path):
    db = tmp_path / "c.db"
    dos_ciclos(db).cerrar()
    store = Store(db)
    punto = next(s for s in store.puntos() if s.n == 5)
    store.db.execute("UPDATE instantanea SET datos = ? WHERE n = 5", (punto.datos[:-1] + b"\0",))
    store.close()
    repo = Repositorio.abrir(db)
    tarde = manifestacion_tardia()
    assert corregir(repo, tarde) is None
    assert repo.avisos == [f"{db}: la instantánea intermedia de la entrada 5 fue alterada (su "
                           "resumen no coincide): se descarta y el estado se reconstruye sin ella"]


def test_the_store_keeps_the_head_snapshot_and_the_latest_padrons_checkpoint(tmp_path):
    db = tmp_path / "c.db"
    dos_ciclos(db).cerrar()
    store = Store(db)
    assert [s.n for s in store.puntos()] == [5, 7]
    store.close()


def test_verificar_compares_each_checkpoint_with_a_replay_of_the_prefix_it_names(tmp_path):
    db = tmp_path / "c.db"
    dos_ciclos(db).cerrar()
    assert verificar(db).problemas == []
    # The head's whole state, not input 5's.
    assert falsificar_5(db, lambda store: store.punto(7).datos) == ALTERADA


ALTERADA = ["la instantánea intermedia de la entrada 5 no coincide con el estado que resulta "
            "del registro de entradas: fue alterada"]


def falsificar_5(db, datos: Callable[[Store], bytes]) -> list[str]:
    """Put ``datos`` in place of the checkpoint of input 5, with the summary that matches them
    (a forger can compute it), and say what verificar finds in the snapshots."""
    store = Store(db)
    falsa = datos(store)
    store.db.execute("UPDATE instantanea SET datos = ?, resumen = ? WHERE n = 5",
                     (falsa, resumen_instantanea(store.punto(5).cabeza, falsa)))
    store.close()
    return verificar(db).instantanea


def test_a_snapshot_of_another_format_is_rewritten_when_the_store_is_closed(tmp_path):
    db = tmp_path / "c.db"
    repo = dos_ciclos(db)
    esperado = dump(repo.engine)
    repo.store.save_snapshot(*repo.store.last(), b"\x92\xa1x\x01")  # an earlier version's
    repo.store.close()
    Repositorio.abrir(db).cerrar()  # replays, then saves this version's snapshot
    store = Store(db)
    assert load(store.snapshot().datos) is not None
    store.close()
    assert dump(Repositorio.abrir(db).engine) == esperado


def test_annulling_a_padron_reports_every_contractor_whose_displayed_state_changes(tmp_path):
    repo = dos_ciclos(tmp_path / "c.db")
    antes = Vista(repo.engine.copia(), congelado=True)
    r = repo.registrar(inp.Anulacion(at=at("2026-07-30T09:00:00"), actor="stps", entrada=5,
                                     motivo="padrón equivocado"))
    # Without the 2026-2 padrón each contractor shows its 2026-1 procedure again, as of the
    # annulment's date (the clock does not go back): the one exhorted in 2026-1 has passed
    # the end of its 30 days (in March) and is in «segunda_consulta»; the others stay
    # «al_corriente» (no change); the one exhorted in 2026-2 goes back to «al_corriente».
    assert r.cambios == [Cambio("GODE561231GR8", "exhortado", "al_corriente"),
                         Cambio("MAB9307148T4", "al_corriente", "segunda_consulta")]
    assert r.cambios == por_rfc(antes, repo)


def test_a_correction_that_reorders_the_contractors_matches_them_by_rfc(tmp_path):
    repo = Repositorio.crear(tmp_path / "c.db", simulacion=True)
    for e in (padron("2026-01-26T09:00:00", "2026-1", RFCS[0], RFCS[1],
                     fecha_registro="2025-06-01"),
              padron("2026-07-27T09:00:00", "2026-2", RFCS[2], RFCS[0],
                     fecha_registro="2025-06-01")):
        assert repo.registrar(e).aceptada
    antes = Vista(repo.engine.copia(), congelado=True)
    # Without the 2026-1 padrón the contractors are first known in 2026-2's order, and the
    # one only 2026-1 named is gone.
    r = repo.registrar(inp.Anulacion(at=at("2026-07-28T09:00:00"), actor="stps", entrada=2,
                                     motivo="padrón equivocado"))
    assert r.cambios == [Cambio(RFCS[1], "en_consulta", None)]  # no round-1 list yet
    assert r.cambios == por_rfc(antes, repo)


def test_the_store_keeps_a_checkpoint_inside_the_latest_cycle_and_reads_only_the_one_needed(
        tmp_path):
    db = tmp_path / "c.db"
    with mock.patch("repse.core.api._LARGE", 0):  # a checkpoint after every input with rows
        dos_ciclos(db).cerrar()
    store = Store(db)
    # The 2026-2 padrón (5), its round-1 list (6) and the head (7); 2026-1's are dropped.
    assert store.numeros_puntos() == [5, 6, 7]
    store.close()
    repo = Repositorio.abrir(db)
    with mock.patch("repse.core.api.leer", wraps=leer) as leidas:
        assert corregir(repo, manifestacion_tardia()) == 6  # after the list, before the exhorto
    assert leidas.call_count == 1
    assert not repo.avisos


def punto(n: int, filas: int, *, padron: bool = False) -> _Punto:
    return _Punto(n, (n, n), frozenset(range(n + 1)), None, padron, filas)  # type: ignore[arg-type]


def test_memory_keeps_the_latest_padron_and_drops_the_checkpoint_whose_loss_costs_least():
    antiguo, padron = punto(1, 9_000), punto(2, 150_000, padron=True)
    lista, exhorto, ronda2, inicio = (punto(3, 18_000), punto(4, 18_000), punto(5, 9_000),
                                      punto(6, 9_000))
    todos = [antiguo, padron, lista, exhorto, ronda2, inicio]
    # First what precedes the latest padrón; then the fewest rows since the one before.
    assert _conservar(todos) == [padron, lista, exhorto, ronda2, inicio]
    with mock.patch("repse.core.api._EN_MEMORIA", 2):
        assert _conservar(todos) == [padron, lista, exhorto]
    with mock.patch("repse.core.api._EN_MEMORIA", 1):
        assert _conservar(todos) == [padron, exhorto]


def test_a_checkpoint_kept_against_the_head_comes_back_exactly_and_only_against_it(tmp_path):
    repo = dos_ciclos(tmp_path / "c.db")
    padron_2026_2 = next(p for p in repo._puntos if p.n == 5).engine
    relativo = dump_relativo(padron_2026_2, repo.engine, "resumen de la cabeza")
    assert relativo is not None and len(relativo) < len(dump(padron_2026_2))
    assert dump(load(relativo, ("resumen de la cabeza", repo.engine))) == dump(padron_2026_2)
    assert load(relativo, ("otra cabeza", repo.engine)) is None
    assert load(relativo) is None
    # The 2026-1 padrón's state has fewer cycles than the head's: only whole.
    padron_2026_1 = next(p for p in repo._puntos if p.n == 2).engine
    assert dump_relativo(padron_2026_1, repo.engine, "resumen de la cabeza") is None


def test_the_checkpoint_on_disk_is_kept_against_the_heads_snapshot(tmp_path):
    db = tmp_path / "c.db"
    dos_ciclos(db).cerrar()
    store = Store(db)
    assert base_de(store.punto(5).datos) == store.punto(7).resumen
    store.close()
    repo = Repositorio.abrir(db)
    repo.avanzar(at("2026-07-30T09:00:00"))  # the head moves on: its old state still serves
    assert corregir(repo, manifestacion_tardia()) == 5
    assert not repo.avisos
    repo.cerrar()  # a new head: the checkpoint is written again, against it
    store = Store(db)
    assert base_de(store.punto(5).datos) == store.snapshot().resumen
    store.close()
    assert verificar(db).problemas == []


def test_a_reopened_stores_state_is_shared_by_its_copies_and_never_changed_in_place(tmp_path):
    db = tmp_path / "c.db"
    dos_ciclos(db).cerrar()
    with mock.patch("repse.core.motor.compartida._MINIMO", 1):
        repo = Repositorio.abrir(db)
    cabeza = repo.engine
    antes = dump(cabeza)
    with pytest.raises(ValueError, match="read-only"):
        cabeza.registro[0] = 0
    assert corregir(repo, manifestacion_tardia()) == 5  # from the checkpoint, a copy of it
    assert repo.registrar(inp.Reloj(at=at("2026-07-31T00:00:00"), actor="gt")).aceptada
    assert dump(repo.engine) == completo(repo)
    assert dump(cabeza) == antes


def test_a_padron_applied_to_a_copy_leaves_the_contractors_of_the_original_as_they_were(
        tmp_path):
    repo = dos_ciclos(tmp_path / "c.db")
    original = repo.engine
    antes = dump(original)
    copia = original.copia()  # the contractors' lists are shared until a padrón changes them
    # The same contractors in another order (each gets another folio) and a new one.
    copia.aplicar(padron("2027-01-25T09:00:00", "2027-1", "AAA600101A08", *reversed(RFCS),
                         fecha_registro="2025-06-01"), 99)
    assert copia.rfcs[-1] == "AAA600101A08" and copia.folio[copia.index["MAB9307148T4"]] == "F-4"
    assert dump(original) == antes
    assert "AAA600101A08" not in original.index


def test_a_checkpoint_taken_before_the_clock_opened_a_report_period_is_kept_against_the_head(
        tmp_path):
    db = tmp_path / "c.db"
    repo = dos_ciclos(db)
    repo.avanzar(at("2026-09-02T00:00:00"))  # the four-month period 2026-C3 begins on 1 Sep
    padron_2026_2 = next(p for p in repo._puntos if p.n == 5).engine
    assert "2026-C3" in repo.engine.periodos and "2026-C3" not in padron_2026_2.periodos
    repo.cerrar()
    store = Store(db)
    assert base_de(store.punto(5).datos) == store.snapshot().resumen
    store.close()
    repo = Repositorio.abrir(db)
    assert corregir(repo, manifestacion_tardia()) == 5
    assert "2026-C3" in repo.engine.periodos
    assert not repo.avisos


def test_verificar_rebuilds_a_checkpoint_kept_against_the_head_and_compares_it(tmp_path):
    db = tmp_path / "c.db"
    repo = dos_ciclos(db)
    repo.cerrar()
    # The head's own state, claimed as input 5's: it differs from it in nothing.
    assert falsificar_5(db, lambda store: dump_relativo(repo.engine, repo.engine,
                                                        store.punto(7).resumen)) == ALTERADA


def test_an_annulment_keeps_the_clock_at_its_date_and_later_inputs_after_it(tmp_path):
    """Annulling the 2026-2 exhorto (input 7, 29 Jul 10:00) on 30 Jul 17:30: the clock stays
    at 30 Jul 17:30 (it used to go back to the last input left, the round-1 list of 27 Jul
    17:00), so an act dated 30 Jul 12:00 must now be marked retroactive; reopening the store
    gives the same clock."""
    db = tmp_path / "c.db"
    repo = dos_ciclos(db)
    assert corregir(repo, inp.Anulacion(at=at("2026-07-30T17:30:00"), actor="gt", entrada=7,
                                        motivo="exhorto enviado por error")) == 5
    assert repo.vista().reloj == at("2026-07-30T17:30:00")
    assert repo.estado().contratistas["GODE561231GR8"].estado == "senalado"
    tarde = acto(inp.Exhorto, "2026-07-30T12:00:00", "2026-2", "GODE561231GR8", actor="gt")
    r = repo.registrar(tarde)
    assert not r.aceptada and "anterior a la última entrada aceptada" in (r.motivo or "")
    repo.cerrar()
    assert Repositorio.abrir(db).vista().reloj == at("2026-07-30T17:30:00")


def test_the_input_log_is_listed_from_the_state_without_a_replay(tmp_path):
    """«Entradas» lists every input with the rows it applied; after years of cycles a replay
    of the whole log per listing took seconds. The counts are part of the state (and of its
    snapshot): a reopened store lists the same without replaying anything."""
    db = tmp_path / "c.db"
    repo = dos_ciclos(db)
    antes = repo.entradas()
    # The 2026-2 exhorto (input 7) names one contractor: one row applied, none refused.
    assert [(e.numero, e.aceptadas, e.rechazadas) for e in antes if e.numero == 7] == [(7, 1, 0)]
    repo.cerrar()
    repo = Repositorio.abrir(db)
    with mock.patch.object(_Log, "replay", side_effect=AssertionError("replayed")):
        assert repo.entradas() == antes


def test_a_state_is_still_read_where_no_memory_file_can_be_made(tmp_path):
    """A sandbox may forbid memfd_create: the reopened state then holds ordinary arrays, and
    a correction still leaves the whole replay's state."""
    db = tmp_path / "c.db"
    dos_ciclos(db).cerrar()
    # Every column laid out in the memory file (a small state's are copied otherwise).
    with mock.patch("repse.core.motor.compartida._MINIMO", 0), \
            mock.patch("os.memfd_create", side_effect=OSError(38, "Function not implemented")):
        repo = Repositorio.abrir(db)
        assert corregir(repo, manifestacion_tardia()) is not None
