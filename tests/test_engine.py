"""The engine through the repository API: plazos fired by the clock, refusals with reasons,
obligations, retroactive inputs and annulments."""

from __future__ import annotations

from datetime import date, datetime

import msgspec
import pytest

from repse.core import inputs as inp
from repse.core.api import Repositorio
from repse.core.calendars import calendarios
from repse.core.instantanea import dump
from repse.core.plazos import MX
from repse.core.store import Store
from repse.core.vista import Vista

A, B, C, D = "MAB9307148T4", "GODE561231GR8", "AEL7407151YA", "BAD010101AB1"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=MX)


def padron(when: str, ciclo: str, *rfcs: str, fecha_registro: str = "2024-06-01") -> inp.Padron:
    return inp.Padron(at=at(when), actor="stps", ciclo=ciclo, contratistas=tuple(
        inp.FilaPadron(r, f"Empresa {r}", f"F-{k}", datetime.fromisoformat(fecha_registro).date())
        for k, r in enumerate(rfcs)))


def opiniones(when: str, ciclo: str, ronda, completo=False, **rows) -> inp.Opiniones:
    return inp.Opiniones(at=at(when), actor="imss", ciclo=ciclo, ronda=ronda, completo=completo,
                         resultados=tuple(inp.Resultado(r, o) for r, o in rows.items()))


def acto(cls, when: str, ciclo: str, *rfcs: str, actor: str, **extra):
    return cls(at=at(when), actor=actor, ciclo=ciclo, rfcs=tuple(rfcs), **extra)


@pytest.fixture
def repo(tmp_path):
    empty = tmp_path / "vacio.toml"
    empty.write_text("")
    r = Repositorio.crear(tmp_path / "r.db", calendario=empty, simulacion=True)
    yield r
    r.store.close()


def state(repo: Repositorio, rfc: str) -> str | None:
    return repo.vista().estado(rfc).estado


def cycle_2026_2(repo: Repositorio) -> None:
    repo.registrar(padron("2026-07-27T09:00:00", "2026-2", A, B, C))
    repo.registrar(opiniones("2026-07-27T17:00:00", "2026-2", 1, True,
                             **{B: "negativa", C: "sin_opinion"}))
    repo.registrar(acto(inp.Exhorto, "2026-07-30T12:00:00", "2026-2", B, C, actor="gt"))


def test_a_round_2_opinion_on_the_extended_monday_is_premature_and_says_why(repo):
    cycle_2026_2(repo)
    r = repo.registrar(opiniones("2026-08-31T11:00:00", "2026-2", 2, **{B: "negativa"}))
    # Its only row does not apply: the list is refused whole, the row's reason kept.
    assert not r.aceptada and r.motivo.startswith("su única fila no procede")
    [refusal] = r.rechazos
    assert refusal.rfc == B
    assert refusal.motivo == (
        "opinión prematura: el plazo de regularización (30 días naturales) vence el lun "
        "31-08-2026, prorrogado porque su último día natural, sáb 29-08-2026, es inhábil "
        "(LFPA art. 29); la segunda consulta procede a partir del mar 01-09-2026")
    assert state(repo, B) == "exhortado"


def test_the_clock_fires_the_end_of_the_plazo_at_midnight_after_its_last_day(repo):
    cycle_2026_2(repo)
    repo.avanzar(at("2026-08-31T23:59:59"))
    assert state(repo, B) == "exhortado"
    r = repo.avanzar(at("2026-09-01T00:00:00"))
    assert r.transiciones == 2 and state(repo, B) == "segunda_consulta"
    [step] = [s for s in repo.vista().historial(B) if s.evento == "fin_plazo_regularizacion"]
    assert step.at == at("2026-09-01T00:00:00") and step.actor == "reloj"


def test_the_full_path_to_cancellation_and_its_effect_on_the_registration(repo):
    cycle_2026_2(repo)
    repo.registrar(opiniones("2026-09-01T11:00:00", "2026-2", 2, True, **{B: "negativa"}))
    assert state(repo, C) == "regularizado"
    repo.registrar(acto(inp.InicioCancelacion, "2026-09-10T10:00:00", "2026-2", B, actor="stps"))
    # 5 hábil days: 11, 14, 15, (16 Sep), 17, 18 → D3 = Monday 21 Sep.
    early = repo.registrar(opiniones("2026-09-18T11:00:00", "2026-2", 3, **{B: "negativa"}))
    assert "vence el vie 18-09-2026" in early.rechazos[0].motivo
    assert "a partir del lun 21-09-2026" in early.rechazos[0].motivo
    repo.registrar(opiniones("2026-09-21T11:00:00", "2026-2", 3, True, **{B: "negativa"}))
    assert state(repo, B) == "por_cancelar"
    repo.registrar(acto(inp.Cancelacion, "2026-09-21T15:00:00", "2026-2", B, actor="stps"))
    st = repo.vista().estado(B)
    assert (st.estado, st.registro) == ("cancelado", "registro_cancelado")


def test_obligations_are_met_late_or_overdue(repo):
    repo.registrar(padron("2026-07-27T11:00:00", "2026-2", A, B))  # late: due 10:00
    repo.registrar(opiniones("2026-07-27T17:00:00", "2026-2", 1, True, **{B: "negativa"}))
    repo.avanzar(at("2026-07-31T08:00:00"))  # exhorto due Thu 30 Jul, end of day
    agenda = {o.clave: o for o in repo.vista().agenda()}
    assert agenda["padron"].estado == "extemporanea"
    assert agenda["listado_inicial"].estado == "cumplida"
    assert agenda["exhorto"].estado == "vencida"
    assert agenda["exhorto"].limite == at("2026-07-30T23:59:59")
    repo.registrar(acto(inp.Exhorto, "2026-07-31T09:00:00", "2026-2", B, actor="gt"))
    agenda = {o.clave: o for o in repo.vista().agenda()}
    assert agenda["exhorto"].estado == "extemporanea"
    assert agenda["exhorto"].cumplida_en == at("2026-07-31T09:00:00")
    # The late exhorto's 30 days run from 1 Aug to Sun 30 Aug → Mon 31 Aug; D2 = 1 Sep.
    assert agenda["listado_segunda"].limite == at("2026-09-01T12:00:00")
    assert agenda["listado_segunda"].estado == "pendiente"


@pytest.mark.parametrize(
    ("entrada", "motivo"),
    [
        (inp.Reloj(at=at("2026-07-27T08:00:00"), actor="gt"), "anterior a la última entrada"),
        (acto(inp.Exhorto, "2026-08-01T00:00:00", "2026-2", B, actor="stps"),
         "actor no autorizado: «exhorto» la emite GT, no STPS"),
        (acto(inp.Exhorto, "2026-08-01T00:00:00", "2027-1", B, actor="gt"),
         "el ciclo 2027-1 no se ha abierto: falta su padrón"),
    ],
)
def test_whole_inputs_are_refused_with_a_reason_and_recorded(repo, entrada, motivo):
    cycle_2026_2(repo)
    before = dump(repo.engine)
    r = repo.registrar(entrada)
    assert not r.aceptada and motivo in r.motivo
    assert dump(repo.engine) == before  # nothing half-applied
    assert any(x.linea == r.numero and motivo in x.motivo for x in repo.rechazos())


def test_rows_are_refused_one_by_one_with_their_reason(repo):
    cycle_2026_2(repo)
    r = repo.registrar(acto(inp.Exhorto, "2026-07-31T09:00:00", "2026-2", A, B, "XAXX010101000",
                            "MAB9307148T", "ZZZ010101ZZ1", actor="gt"))
    # Not one row applies: the act is refused whole, every row's reason kept.
    assert not r.aceptada and r.motivo.startswith("ninguna de sus 5 filas procede")
    motivos = {x.rfc: x.motivo for x in r.rechazos}
    assert motivos == {
        A: "el expediente del ciclo 2026-2 ya concluyó en «Al corriente»",
        B: "el exhorto no procede en el estado «Exhortado» (procede en «Señalado»)",
        "XAXX010101000": "RFC genérico: nunca es un contratista",
        "MAB9307148T": "RFC mal formado «MAB9307148T»: tiene 11 caracteres; se esperan 12 "
                       "(persona moral) o 13 (persona física)",
        "ZZZ010101ZZ1": "RFC desconocido: no está en ningún padrón recibido",
    }


def test_a_retroactive_input_recomputes_and_reports_what_changed(repo):
    cycle_2026_2(repo)
    repo.avanzar(at("2026-09-02T00:00:00"))
    assert state(repo, B) == "segunda_consulta"
    late = opiniones("2026-09-01T11:00:00", "2026-2", 2, **{B: "positiva"})
    refused = repo.registrar(late)
    assert not refused.aceptada and "márquela «retroactivo»" in refused.motivo
    r = repo.registrar(msgspec.structs.replace(late, retroactivo=True))
    assert r.aceptada
    assert [(c.rfc, c.antes, c.despues) for c in r.cambios] == [
        (B, "segunda_consulta", "regularizado")]
    assert state(repo, B) == "regularizado"


def test_an_annulment_recomputes_as_if_the_input_had_never_been_accepted(repo):
    cycle_2026_2(repo)
    exhorto_n = repo.store.last()[0]
    repo.avanzar(at("2026-08-10T00:00:00"))
    r = repo.registrar(inp.Anulacion(at=at("2026-08-10T09:00:00"), actor="gt",
                                     entrada=exhorto_n, motivo="exhorto enviado al RFC equivocado"))
    assert r.aceptada
    assert {(c.rfc, c.antes, c.despues) for c in r.cambios} == {
        (B, "exhortado", "senalado"), (C, "exhortado", "senalado")}
    rows = list(repo.store.filas())
    assert any(row.n == exhorto_n for row in rows)  # both stay in the record
    again = repo.registrar(inp.Anulacion(at=at("2026-08-10T09:30:00"), actor="gt",
                                         entrada=exhorto_n, motivo="otra vez"))
    assert not again.aceptada and "ya está anulada" in again.motivo


def test_an_operation_store_cannot_pass_the_real_present(tmp_path):
    present = at("2026-11-21T12:00:00")
    repo = Repositorio.crear(tmp_path / "op.db", ahora=lambda: present)
    r = repo.avanzar(at("2026-11-22T00:00:00"))
    assert not r.aceptada and "almacén de operación" in r.motivo
    assert repo.avanzar(at("2026-11-21T11:00:00")).aceptada


def test_reopening_gives_the_same_state_with_or_without_a_snapshot(repo, tmp_path):
    cycle_2026_2(repo)
    repo.avanzar(at("2026-09-02T00:00:00"))
    expected = dump(repo.engine)
    repo.cerrar()
    from_snapshot = Repositorio.abrir(tmp_path / "r.db")
    assert dump(from_snapshot.engine) == expected
    from_snapshot.store.db.execute("DELETE FROM instantanea")
    replayed = Repositorio(Store(tmp_path / "r.db"))
    assert dump(replayed.engine) == expected


def test_a_new_closure_moves_the_running_plazos(repo):
    cycle_2026_2(repo)
    cals = calendarios()
    closure = inp.CalendarioVigente(
        at=at("2026-08-10T00:00:00"), actor="gt",
        cierre=(*cals.datos.cierre, msgspec_cierre("stps", "2026-08-31", "DOF 2026-08-07")),
        revisado=cals.datos.revisado)
    repo.registrar(closure)
    # Last day Mon 31 Aug is now closed for STPS → inhábil for the joint calendar → Tue 1 Sep,
    # and D2 moves to Wed 2 Sep.
    repo.avanzar(at("2026-09-01T12:00:00"))
    assert state(repo, B) == "exhortado"
    repo.avanzar(at("2026-09-02T00:00:00"))
    assert state(repo, B) == "segunda_consulta"


def msgspec_cierre(autoridad: str, dia: str, fuente: str):
    from repse.core.calendars import Cierre

    return Cierre(autoridad, datetime.fromisoformat(dia).date(), fuente)


def test_an_expired_registration_ends_the_open_procedure(repo):
    repo.registrar(padron("2026-07-27T09:00:00", "2026-2", A, fecha_registro="2023-09-15"))
    repo.registrar(opiniones("2026-07-27T17:00:00", "2026-2", 1, True, **{A: "negativa"}))
    repo.avanzar(at("2026-09-16T00:00:00"))
    st = repo.vista().estado(A)
    # Not cancelado: the mechanism did not cancel it; the registration lapsed (issue 11).
    assert (st.estado, st.registro) == ("concluido_sin_registro", "registro_vencido")
    steps = [(s.at, s.evento) for s in repo.vista().historial(A)]
    assert steps == [
        # Registered 15 Sep 2023: the window is June to August 2026 (Acuerdo's calendar).
        (at("2026-06-01T00:00:00"), "inicio_ventana_renovacion"),
        (at("2026-07-27T09:00:00"), "padron_recibido"),
        (at("2026-07-27T17:00:00"), "opinion_negativa"),
        (at("2026-09-15T00:00:00"), "fin_vigencia"),
        (at("2026-09-15T00:00:00"), "registro_terminado"),
    ]


def test_stepping_to_the_next_deadline_and_by_one_habil_day(repo):
    cycle_2026_2(repo)  # exhorto notified Thu 30 Jul 12:00
    # Next: the expiry of the 30-day plazo (last day Mon 31 Aug) fires at midnight.
    assert repo.proximo_vencimiento() == at("2026-09-01T00:00:00")
    r = repo.avanzar(repo.proximo_vencimiento())
    assert [(d.evento, d.ciclo, d.contratistas) for d in r.disparos] == [
        ("fin_plazo_regularizacion", "2026-2", 2)]
    # Then the round-2 lists, due D2 by 12:00.
    assert repo.proximo_vencimiento() == at("2026-09-01T12:00:01")
    repo.avanzar(at("2026-09-11T15:00:00"))  # a Friday
    repo.avanzar_dia_habil()  # → Monday 14 (Tuesday 15 is hábil; 16 Sep is not)
    assert repo.engine.reloj == int(at("2026-09-14T00:00:00").timestamp())


def test_looking_at_a_past_moment_does_not_change_the_present(repo):
    cycle_2026_2(repo)
    repo.avanzar(at("2026-09-02T00:00:00"))
    present = dump(repo.engine)
    past = repo.en_instante(at("2026-07-29T00:00:00"))
    assert Vista(past, congelado=True).estado(B).estado == "senalado"
    assert dump(repo.engine) == present


def test_a_simulation_copy_of_an_operation_store_can_pass_the_present(tmp_path):
    present = at("2026-08-01T00:00:00")
    op = Repositorio.crear(tmp_path / "op.db", ahora=lambda: present)
    op.registrar(padron("2026-07-27T09:00:00", "2026-2", A, B))
    copy = op.copia_simulacion()
    assert copy.simulacion and copy.store.verificar() == []
    assert copy.avanzar(at("2026-12-01T00:00:00")).aceptada
    assert op.store.last()[0] == 2  # the operation store is untouched


def test_padron_rows_are_refused_with_their_reason(repo):
    rows = (
        inp.FilaPadron(A, "Buena", "1", datetime(2024, 6, 1).date(), fila=2),
        inp.FilaPadron(A, "Repetida", "2", datetime(2024, 6, 1).date(), fila=3),
        inp.FilaPadron(B, "Vencida", "3", datetime(2023, 7, 1).date(), fila=4),
        inp.FilaPadron(C, "Futura", "4", datetime(2026, 8, 1).date(), fila=5),
        inp.FilaPadron("MAB9307148T5", "  ", "5", datetime(2024, 6, 1).date(), fila=6),
        inp.FilaPadron("XEXX010101000", "Genérico", "6", datetime(2024, 6, 1).date(), fila=7),
    )
    r = repo.registrar(inp.Padron(at=at("2026-07-27T09:00:00"), actor="stps", ciclo="2026-2",
                                  contratistas=rows, archivo="padron.csv"))
    assert r.aceptadas == 1
    assert [(x.fila, x.rfc, x.motivo) for x in r.rechazos] == [
        (3, A, "RFC repetido en el padrón (ya en la fila 2)"),
        (4, B, "la vigencia de tres años terminó el mar 30-06-2026 (fecha de registro "
               "01-07-2023): el padrón solo incluye registros vigentes; corrija la fecha o "
               "registre la renovación"),
        (5, C, "fecha de registro futura: 01-08-2026"),
        (6, "MAB9307148T5", "falta la razón social"),
        (7, "XEXX010101000", "RFC genérico: nunca es un contratista"),
    ]
    assert all(x.archivo == "padron.csv" for x in r.rechazos)
    again = repo.registrar(padron("2026-07-27T09:30:00", "2026-2", A))
    assert again.rechazos[0].motivo == "ya está en el padrón del ciclo 2026-2"


def test_a_failed_check_digit_is_a_warning_not_a_refusal(repo):
    r = repo.registrar(padron("2026-07-27T09:00:00", "2026-2", "MAB9307148T5"))
    assert r.aceptadas == 1 and not r.rechazos
    assert [a.descripcion() for a in r.avisos] == [
        "fila 1: MAB9307148T5: dígito verificador no coincide (se esperaba 4); "
        "el SAT acepta algunos RFC así"]


def test_a_renewal_window_opening_is_not_a_deadline(repo):
    # Registered 2023-10-01: its window opens 2026-07-01 and its term ends 2026-10-01.
    repo.registrar(padron("2026-07-27T09:00:00", "2026-2", A, fecha_registro="2023-10-01"))
    # (A complete list with no rows is refused since issue 10: A is listed positiva instead.)
    assert repo.registrar(opiniones("2026-07-27T17:00:00", "2026-2", 1, **{A: "positiva"})
                          ).aceptadas == 1
    # A owes no report of 2026-C2 (due Thu 17 Sep, itself a deadline): it signed no contract.
    assert repo.registrar(inp.Declaraciones(
        at=at("2026-07-27T18:00:00"), actor="imss", periodo="2026-C2",
        declaraciones=(inp.FilaDeclaracion(A, date(2026, 7, 27), sin_contratos=True),))
    ).aceptadas == 1
    assert repo.proximo_vencimiento() == at("2026-10-01T00:00:00")  # fin_vigencia


def test_a_refused_renewal_refuses_the_input_and_memory_matches_the_log(repo, tmp_path):
    repo.registrar(padron("2026-07-27T09:00:00", "2026-2", A))  # term ends 2027-06-01
    r = repo.registrar(inp.Renovacion(at=at("2026-09-01T10:00:00"), actor="stps", rfc=A,
                                      resultado="solicitada"))
    # Its only row does not apply: refused whole, the clock left where the padrón put it.
    assert not r.aceptada and r.aceptadas == 0
    assert repo.vista().reloj == at("2026-07-27T09:00:00")
    assert r.rechazos[0].motivo == ("la renovación solo puede solicitarse dentro de su ventana, "
                                    "del lun 01-03-2027 al lun 31-05-2027; la vigencia termina "
                                    "a las 00:00 del mar 01-06-2027")
    in_memory = dump(repo.engine)
    repo.store.close()
    assert dump(Repositorio(Store(tmp_path / "r.db")).engine) == in_memory


def test_a_retroactive_opinions_input_answers_with_its_real_result(repo):
    cycle_2026_2(repo)  # B and C notified Thu 30 Jul: last day Mon 31 Aug, D2 Tue 1 Sep
    repo.avanzar(at("2026-09-02T00:00:00"))
    late = inp.Opiniones(
        at=at("2026-09-01T11:00:00"), actor="imss", ciclo="2026-2", ronda=2, retroactivo=True,
        archivo="ronda2.csv", resultados=(
            inp.Resultado(B, "positiva", fila=2), inp.Resultado(C, "negativa", fila=3),
            inp.Resultado(A, "negativa", fila=4), inp.Resultado(D, "negativa", fila=5)))
    r = repo.registrar(late)
    assert r.aceptada and r.aceptadas == 2
    assert sorted((x.archivo, x.fila, x.rfc, x.motivo) for x in r.rechazos) == [
        ("ronda2.csv", 4, A, "el expediente del ciclo 2026-2 ya concluyó en «Al corriente»"),
        ("ronda2.csv", 5, D, "RFC desconocido: no está en ningún padrón recibido")]
    assert r.avisos == []
    # Round 2 on D2: positiva regularizes (numeral 3), negativa leads to cancellation.
    assert {(c.rfc, c.antes, c.despues) for c in r.cambios} == {
        (B, "segunda_consulta", "regularizado"),
        (C, "segunda_consulta", "por_iniciar_cancelacion")}
    # Replayed, it is the first input after the plazo's expiry (midnight after Mon 31 Aug):
    # the clock fires that expiry during it.
    assert sorted((d.evento, d.contratistas) for d in r.disparos) == [
        ("fin_plazo_regularizacion", 2), ("opinion_negativa", 1), ("opinion_positiva", 1)]
    assert r.transiciones == 4
    assert state(repo, B) == "regularizado" and state(repo, C) == "por_iniciar_cancelacion"
    stored = {(x.linea, x.fila, x.rfc) for x in repo.rechazos() if x.linea == r.numero}
    assert stored == {(r.numero, 4, A), (r.numero, 5, D)}  # once each, not twice


def test_a_retroactive_padron_answers_with_its_warnings(repo):
    cycle_2026_2(repo)
    late = padron("2026-07-27T10:00:00", "2026-2", "MAB9307148T5")
    r = repo.registrar(msgspec.structs.replace(late, retroactivo=True))
    assert r.aceptada and r.aceptadas == 1 and not r.rechazos
    assert [a.descripcion() for a in r.avisos] == [
        "fila 1: MAB9307148T5: dígito verificador no coincide (se esperaba 4); "
        "el SAT acepta algunos RFC así"]
    # The complete round-1 list of 17:00 did not name it: positiva, so al corriente.
    assert [(c.rfc, c.antes, c.despues) for c in r.cambios] == [
        ("MAB9307148T5", None, "al_corriente")]


def test_annulling_an_opinions_input_restores_the_contractors_it_moved(repo):
    cycle_2026_2(repo)
    repo.avanzar(at("2026-09-02T00:00:00"))  # B and C in segunda_consulta since 1 Sep
    listed = repo.registrar(opiniones("2026-09-02T10:00:00", "2026-2", 2,
                                      **{B: "positiva", C: "negativa"}))
    assert listed.aceptadas == 2
    assert (state(repo, B), state(repo, C)) == ("regularizado", "por_iniciar_cancelacion")
    r = repo.registrar(inp.Anulacion(at=at("2026-09-02T12:00:00"), actor="imss",
                                     entrada=listed.numero, motivo="lista equivocada"))
    assert r.aceptada and not r.rechazos and not r.disparos
    assert {(c.rfc, c.antes, c.despues) for c in r.cambios} == {
        (B, "regularizado", "segunda_consulta"),
        (C, "por_iniciar_cancelacion", "segunda_consulta")}
    assert (state(repo, B), state(repo, C)) == ("segunda_consulta", "segunda_consulta")
