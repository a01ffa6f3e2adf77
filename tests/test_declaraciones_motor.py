"""The four-monthly reports in the engine (LSS art. 15 A): who owes each period, the clock that
fires the omissions, the filings, fines and notices IMSS records, and the state kept across a
snapshot and a replay.

Dates computed by hand (the fixture's store has no closures; LFT art. 74 rest days only):
2026-C1 (January–April) is due Mon 18 May 2026 (17 May is a Sunday); 2026-C2 (May–August) is
due Thu 17 Sep 2026 (16 Sep is a rest day, the 17th is hábil)."""

from __future__ import annotations

from datetime import date

from repse.core import inputs as inp
from repse.core.instantanea import dump, load

from . import test_engine
from .test_engine import A, B, C, D, at, padron

repo = test_engine.repo  # the fixture: a simulation store with no closures


def declaraciones(repo, rfc: str) -> dict[str, str]:
    return {d.periodo: d.estado for d in repo.estado().contratistas[rfc].declaraciones}


def lista(when: str, periodo: str, *filas: tuple[str, str] | tuple[str, str, bool]):
    return inp.Declaraciones(at=at(when), actor="imss", periodo=periodo, declaraciones=tuple(
        inp.FilaDeclaracion(f[0], date.fromisoformat(f[1]), *f[2:]) for f in filas))


def multa(when: str, periodo: str, rfc: str, umas: int) -> inp.Multa:
    return inp.Multa(at=at(when), actor="imss", periodo=periodo, rfc=rfc, umas=umas)


def informe(when: str, periodo: str, *rfcs: str) -> inp.InformeStps:
    return inp.InformeStps(at=at(when), actor="imss", periodo=periodo, rfcs=rfcs)


def test_who_owes_each_period(repo):
    repo.registrar(padron("2026-01-26T09:00:00", "2026-1", A, B))
    # B cancelled on 10 March: vigente during part of 2026-C1, never during 2026-C2.
    repo.registrar(inp.CancelacionRegistro(at=at("2026-03-10T10:00:00"), actor="stps",
                                           rfcs=(B,), causa="voluntaria"))
    # C registered on 5 June: not vigente in 2026-C1, vigente in 2026-C2.
    repo.registrar(padron("2026-07-27T09:00:00", "2026-2", C, fecha_registro="2026-06-05"))
    assert declaraciones(repo, A) == {"2026-C1": "omisa", "2026-C2": "pendiente"}
    assert declaraciones(repo, B) == {"2026-C1": "omisa"}
    assert declaraciones(repo, C) == {"2026-C2": "pendiente"}


def test_the_clock_fires_the_omission_at_the_end_of_the_due_date(repo):
    repo.registrar(padron("2026-01-26T09:00:00", "2026-1", A))
    repo.avanzar(at("2026-05-18T23:59:59"))  # 2026-C2 opened on 1 May
    assert declaraciones(repo, A) == {"2026-C1": "pendiente", "2026-C2": "pendiente"}
    repo.avanzar(at("2026-05-19T00:00:00"))
    assert declaraciones(repo, A) == {"2026-C1": "omisa", "2026-C2": "pendiente"}
    paso = [s for s in repo.vista().historial(A) if s.carta == "declaracion"][-1]
    assert (paso.at, paso.evento, paso.ciclo, paso.hacia) == (
        at("2026-05-19T00:00:00"), "fin_plazo_declaracion", "2026-C1", "omisa")


def test_on_time_late_and_without_contracts(repo):
    repo.registrar(padron("2026-07-27T09:00:00", "2026-2", A, B, C, D))
    r = repo.registrar(lista("2026-09-17T18:00:00", "2026-C2", (A, "2026-09-17"),
                             (D, "2026-09-01", True)))
    assert (r.aceptadas, r.rechazos) == (2, [])
    r = repo.registrar(lista("2026-09-18T12:00:00", "2026-C2", (B, "2026-09-18"),
                             (C, "2026-09-17"), (A, "2026-09-18")))
    assert [(x.rfc, x.motivo.split(":")[0]) for x in r.rechazos] == [
        (C, "presentada en plazo (jue 17-09-2026, vence jue 17-09-2026) pero la lista llegó "
            "después del vencimiento"),
        (A, "la declaración ya terminó en «presentada»")]
    # 2026-C3 opened on 1 September and is pendiente for all four.
    assert declaraciones(repo, A) == {"2026-C2": "presentada", "2026-C3": "pendiente"}
    assert declaraciones(repo, B)["2026-C2"] == "extemporanea"  # filed on 18 Sep
    assert declaraciones(repo, C)["2026-C2"] == "omisa"
    assert declaraciones(repo, D) == {"2026-C3": "pendiente"}  # no contracts in 2026-C2


def test_fines_and_the_notice_to_stps(repo):
    repo.registrar(padron("2026-07-27T09:00:00", "2026-2", A, B))
    repo.registrar(lista("2026-09-10T10:00:00", "2026-C2", (A, "2026-09-10")))
    r = repo.registrar(multa("2026-10-01T10:00:00", "2026-C2", A, 500))
    assert r.aceptadas == 0 and "ya terminó en «presentada»" in r.rechazos[0].motivo
    assert repo.registrar(multa("2026-10-01T10:00:00", "2026-C2", B, 750)).aceptadas == 1
    assert repo.engine.periodos["2026-C2"].umas[repo.engine.index[B]] == 750
    r = repo.registrar(informe("2026-10-02T10:00:00", "2026-C2", B, A))
    assert r.aceptadas == 1 and r.rechazos[0].rfc == A
    assert declaraciones(repo, B)["2026-C2"] == "informada"


def test_an_input_for_a_period_not_followed_is_refused_whole(repo):
    repo.registrar(padron("2026-07-27T09:00:00", "2026-2", A))
    r = repo.registrar(lista("2026-07-28T10:00:00", "2026-C1", (A, "2026-05-10")))
    assert not r.aceptada and "el periodo 2026-C1 no se sigue" in r.motivo
    r = repo.registrar(lista("2026-07-28T10:00:00", "2026-C3", (A, "2026-07-28")))
    assert not r.aceptada and r.motivo == "el periodo 2026-C3 aún no empieza"


def test_the_reports_survive_a_snapshot_and_a_replay(repo):
    repo.registrar(padron("2026-07-27T09:00:00", "2026-2", A, B))
    repo.registrar(lista("2026-09-18T10:00:00", "2026-C2", (A, "2026-09-18")))
    repo.registrar(multa("2026-10-01T10:00:00", "2026-C2", A, 600))
    state = dump(repo.engine)
    assert dump(load(state)) == state
    assert dump(repo.log.replay(repo.inicial).engine) == state
    assert dump(repo.engine.copia()) == state


def test_the_filing_list_is_imported_with_the_same_leniency_and_refusals(repo, tmp_path):
    from repse.core.files import importar
    repo.registrar(padron("2026-07-27T09:00:00", "2026-2", A, B, C, D))
    archivo = tmp_path / "icsoe.csv"
    # Semicolons, a header in other words, a Latin-1 «í», DD/MM/AAAA dates.
    archivo.write_bytes(
        ("rfc;Fecha de presentación;Sin información\n"
         f"{A};17/09/2026;\n"
         f"{B};2026-09-31;\n"
         f"{C};10/09/2026;sí\n"
         f"{A};16/09/2026;no\n"
         f"{D};11/09/2026;quizá\n").encode("latin-1"))
    r = importar(repo, "declaraciones", archivo, ciclo="2026-C2", at=at("2026-09-17T20:00:00"))
    assert r.aceptadas == 2
    assert [(x.fila, x.motivo) for x in r.rechazos] == [
        (3, "fecha de presentación no válida «2026-09-31»: ese día no existe"),
        (5, "RFC duplicado: ya aparece en la fila 2"),
        (6, "«Sin contratos» no válido «quizá» (se espera sí, no o vacío)")]
    assert declaraciones(repo, A)["2026-C2"] == "presentada"
    assert "2026-C2" not in declaraciones(repo, C)


def test_repse_importar_declaraciones_needs_its_period(tmp_path, capsys):
    from repse.tui.cli import main
    archivo = tmp_path / "icsoe.csv"
    archivo.write_text(f"RFC,Fecha\n{A},2026-09-17\n", encoding="utf-8")
    assert main(["importar", "declaraciones", str(tmp_path / "x.db"), str(archivo),
                 "--at", "2026-09-17T20:00"]) == 2
    assert "--periodo: obligatorio para «declaraciones»" in capsys.readouterr().err


def test_the_agenda_has_the_reports_and_the_notice_to_stps(repo):
    repo.registrar(padron("2026-07-27T09:00:00", "2026-2", A, B))
    repo.registrar(lista("2026-09-10T10:00:00", "2026-C2", (A, "2026-09-10")))
    agenda = [o for o in repo.vista().agenda() if o.ciclo == "2026-C2"]
    assert [(o.clave, o.responsable, o.limite, o.estado, o.contratistas, o.pendientes)
            for o in agenda] == [("declaracion", "contratistas", at("2026-09-17T23:59:59"),
                                  "pendiente", 2, 1)]
    repo.avanzar(at("2026-09-18T09:00:00"))
    agenda = [o for o in repo.vista().agenda() if o.ciclo == "2026-C2"]
    assert [(o.clave, o.responsable, o.estado, o.pendientes) for o in agenda] == [
        ("declaracion", "contratistas", "vencida", 1), ("informe_stps", "imss", "pendiente", 1)]
    repo.registrar(informe("2026-09-21T10:00:00", "2026-C2", B))
    (informado,) = [o for o in repo.vista().agenda()
                    if o.ciclo == "2026-C2" and o.clave == "informe_stps"]
    assert (informado.estado, informado.cumplida_en) == ("cumplida", at("2026-09-21T10:00:00"))


def test_the_export_of_a_period_has_the_fine_range_and_the_notice(repo, tmp_path, capsys):
    import csv

    from repse.tui.cli import main
    repo.registrar(padron("2026-01-26T09:00:00", "2026-1", A, B, C))
    repo.registrar(lista("2026-05-18T10:00:00", "2026-C1", (A, "2026-05-18")))
    repo.registrar(lista("2026-05-20T10:00:00", "2026-C1", (B, "2026-05-20")))
    repo.registrar(multa("2026-06-01T10:00:00", "2026-C1", B, 1000))
    repo.registrar(informe("2026-06-02T10:00:00", "2026-C1", B))
    resumen = repo.vista().resumen_declaraciones("2026-C1")
    assert (resumen.vence, resumen.deben) == (date(2026, 5, 18), 3)
    assert {k: v for k, v in resumen.por_estado.items() if v} == {"presentada": 1, "omisa": 1,
                                                                   "informada": 1}
    db = repo.store.path
    repo.store.close()
    assert main(["exportar", str(db), "--periodo", "2026-C1", "--dir",
                 str(tmp_path / "salida")]) == 0
    with open(tmp_path / "salida" / "omisos_2026-C1.csv", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    # Breach on Tue 19 May 2026: the UMA of 2026 (117.31) is in force from 1 February.
    # Rows by RFC: C (AEL…) before B (GODE…).
    assert [r[:9] for r in rows[1:]] == [
        [C, f"Empresa {C}", "F-2", "Omisa", "", "", "58,655.00", "234,620.00", "117.31"],
        [B, f"Empresa {B}", "F-1", "Informada a la STPS", "2026-05-20", "1000", "58,655.00",
         "234,620.00", "117.31"]]
    aviso = (tmp_path / "salida" / "informe_stps_2026-C1.md").read_text(encoding="utf-8")
    assert "Total: 1 contratistas." in aviso and f"| {C} |" in aviso and B not in aviso
    assert "vencimiento: 18 de mayo de 2026" in aviso
