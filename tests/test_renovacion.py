"""Renewal of a registration by the Acuerdo's calendar, and STPS's silence (issue 11, points 1
and 2): the window is the three calendar months before the month in which the term ends; STPS
has 20 hábil days to resolve; then a requerimiento and three hábil days more, and without a
resolution the registration counts as renewed (afirmativa ficta, LFT art. 15, third paragraph).

Every date below is computed by hand in the comments. The store of the fixture has an empty
closures file: the hábil days are the weekdays that are not LFT art. 74 rest days (in March
2026, Monday 16 is the third Monday; 1 May is a rest day)."""

from __future__ import annotations

from datetime import date

import pytest

from repse.core import inputs as inp
from repse.core.api import Repositorio
from repse.core.calendars import Cierre, Politicas
from repse.core.instantanea import dump
from repse.core.store import Store

from . import test_engine
from .test_engine import A, B, C, at, opiniones, padron

repo = test_engine.repo  # the fixture: a simulation store with no closures


def renovacion(when: str, rfc: str, resultado: str) -> inp.Renovacion:
    return inp.Renovacion(at=at(when), actor="stps", rfc=rfc, resultado=resultado)


def registro(repo: Repositorio, rfc: str = A) -> str:
    return repo.vista().estado(rfc).registro


def plazo(repo: Repositorio, rfc: str = A) -> tuple[str, date] | None:
    p = repo.vista().estado(rfc).proximo_plazo
    return None if p is None else (p.plazo, p.fecha)


def registro_steps(repo: Repositorio, rfc: str = A) -> list[tuple[object, str, str]]:
    return [(s.at, s.evento, s.hacia) for s in repo.vista().historial(rfc)
            if s.carta == "registro"]


def cycle_2026_1(repo: Repositorio, fecha_registro: str = "2023-05-31") -> None:
    """Padrón of 2026-1 (D0 Mon 26 Jan 2026), A positiva in round 1: its procedure ends and
    only the registration moves."""
    repo.registrar(padron("2026-01-26T09:00:00", "2026-1", A, fecha_registro=fecha_registro))
    repo.registrar(opiniones("2026-01-26T17:00:00", "2026-1", 1, **{A: "positiva"}))


def test_the_window_is_the_three_calendar_months_before_the_anniversary_month(repo):
    # Registered 31 May 2023: the anniversary is Sun 31 May 2026, so the window runs from
    # Sun 1 Feb to Thu 30 Apr 2026 (February, March, April), never "31 Feb" rolled to 3 Mar.
    cycle_2026_1(repo)
    assert (registro(repo), plazo(repo)) == ("registro_vigente",
                                             ("inicio_ventana_renovacion", date(2026, 2, 1)))
    repo.avanzar(at("2026-02-01T00:00:00"))
    assert registro_steps(repo)[-1] == (at("2026-02-01T00:00:00"), "inicio_ventana_renovacion",
                                        "registro_por_renovar")
    # Nothing requested: the term ends at 00:00 of the anniversary.
    assert plazo(repo) == ("fin_vigencia", date(2026, 5, 30))
    repo.avanzar(at("2026-05-31T00:00:00"))
    assert registro_steps(repo)[-1] == (at("2026-05-31T00:00:00"), "fin_vigencia",
                                        "registro_vencido")


def test_a_request_after_the_window_is_refused_naming_the_window(repo):
    cycle_2026_1(repo)
    # Fri 1 May 2026: the window closed with April; the term still runs until 31 May.
    r = repo.registrar(renovacion("2026-05-01T10:00:00", A, "solicitada"))
    assert not r.aceptada and r.aceptadas == 0  # its only row does not apply: refused whole
    assert r.rechazos[0].motivo == (
        "la renovación solo puede solicitarse dentro de su ventana, del dom 01-02-2026 al jue "
        "30-04-2026; la vigencia termina a las 00:00 del dom 31-05-2026")
    # Refused whole, it moved nothing, the clock included: the window's opening (1 Feb) is
    # fired by the next input that reaches it.
    assert registro(repo) == "registro_vigente"
    repo.avanzar(at("2026-05-01T10:00:00"))
    assert registro(repo) == "registro_por_renovar"


@pytest.mark.parametrize(("rfc", "inicio", "abre", "cierra"), [
    # Granted 10 Sep 2021: anniversary 10 Sep 2024, window June to August 2024.
    (A, "2021-09-10", "sáb 01-06-2024", "sáb 31-08-2024"),
    # Granted in June 2021: window March to May 2024.
    (B, "2021-06-15", "vie 01-03-2024", "vie 31-05-2024"),
    # Granted in February 2023: window November 2025 to January 2026.
    (C, "2023-02-20", "sáb 01-11-2025", "sáb 31-01-2026"),
])
def test_the_acuerdos_calendar_by_month_granted(repo, rfc, inicio, abre, cierra):
    # Padrón of 2024-1 (D0 Mon 29 Jan 2024): a request the next day is before every window.
    repo.registrar(padron("2024-01-29T09:00:00", "2024-1", rfc, fecha_registro=inicio))
    r = repo.registrar(renovacion("2024-01-30T10:00:00", rfc, "solicitada"))
    assert r.rechazos[0].motivo.startswith(
        f"la renovación solo puede solicitarse dentro de su ventana, del {abre} al {cierra};")


def test_a_registration_of_29_february_follows_the_month_it_was_granted(repo):
    # Granted Thu 29 Feb 2024: the term ends at 00:00 of Mon 1 Mar 2027 (no 29 Feb in 2027);
    # the Acuerdo's calendar renews a February registration from November to January.
    repo.registrar(padron("2026-01-26T09:00:00", "2026-1", A, fecha_registro="2024-02-29"))
    r = repo.registrar(renovacion("2026-02-02T10:00:00", A, "solicitada"))
    assert r.rechazos[0].motivo == (
        "la renovación solo puede solicitarse dentro de su ventana, del dom 01-11-2026 al dom "
        "31-01-2027; la vigencia termina a las 00:00 del lun 01-03-2027")


def test_an_unanswered_request_is_left_without_answer_after_20_stps_habil_days(repo):
    cycle_2026_1(repo)
    repo.registrar(renovacion("2026-03-02T10:00:00", A, "solicitada"))  # Mon 2 Mar 2026
    # From Tue 3 Mar: 3-6 (4), 9-13 (9), 17-20 (13; Mon 16 is a rest day), 23-27 (18),
    # Mon 30 (19), Tue 31 Mar (20): the clock fires at 00:00 of Wed 1 Apr.
    assert (registro(repo), plazo(repo)) == ("registro_en_renovacion",
                                             ("fin_plazo_resolucion", date(2026, 3, 31)))
    repo.avanzar(at("2026-03-31T23:59:59"))
    assert registro(repo) == "registro_en_renovacion"
    repo.avanzar(at("2026-04-01T00:00:00"))
    assert registro_steps(repo)[-1] == (at("2026-04-01T00:00:00"), "fin_plazo_resolucion",
                                        "registro_sin_respuesta")


def test_only_closures_that_apply_to_renewals_stop_the_20_days(repo):
    closures = (
        # The whole week of 9 Mar closed except for renewals: the 20 days keep running.
        Cierre("stps", date(2026, 3, 9), "DOF prueba 1", date(2026, 3, 13),
               excepto=("renovacion",)),
        # Fri 20 Mar closed for everything: one day more, the last is Wed 1 Apr.
        Cierre("stps", date(2026, 3, 20), "DOF prueba 2"),
    )
    repo.registrar(inp.CalendarioVigente(at=at("2026-01-02T09:00:00"), actor="gt",
                                         cierre=closures))
    cycle_2026_1(repo)
    repo.registrar(renovacion("2026-03-02T10:00:00", A, "solicitada"))
    assert plazo(repo) == ("fin_plazo_resolucion", date(2026, 4, 1))
    repo.avanzar(at("2026-04-02T00:00:00"))
    assert registro_steps(repo)[-1] == (at("2026-04-02T00:00:00"), "fin_plazo_resolucion",
                                        "registro_sin_respuesta")


def test_a_requerimiento_without_resolution_is_an_afirmativa_ficta(repo):
    cycle_2026_1(repo)
    repo.registrar(renovacion("2026-03-02T10:00:00", A, "solicitada"))
    # A requerimiento while the 20 days run is premature.
    early = repo.registrar(renovacion("2026-03-20T10:00:00", A, "requerimiento"))
    assert early.rechazos[0].motivo == (
        "el requerimiento procede cuando vencen los 20 días hábiles de la STPS para resolver: "
        "el último es el mar 31-03-2026")
    # Thu 2 Apr 2026: sin respuesta since 00:00 of Wed 1 Apr; the contractor requires.
    r = repo.registrar(renovacion("2026-04-02T10:00:00", A, "requerimiento"))
    assert r.aceptadas == 1
    # Three hábil days from Fri 3 Apr: 3, Mon 6, Tue 7 Apr; fires at 00:00 of Wed 8 Apr.
    assert (registro(repo), plazo(repo)) == ("registro_requerido",
                                             ("afirmativa_ficta", date(2026, 4, 7)))
    repo.avanzar(at("2026-04-08T00:00:00"))
    steps = registro_steps(repo)
    assert steps[-3:] == [
        (at("2026-04-01T00:00:00"), "fin_plazo_resolucion", "registro_sin_respuesta"),
        (at("2026-04-02T10:00:00"), "renovacion_requerida", "registro_requerido"),
        (at("2026-04-08T00:00:00"), "afirmativa_ficta", "registro_vigente"),
    ]
    ficta = repo.vista().historial(A)[-1]
    assert "LFT art. 15, tercer párrafo" in ficta.fundamento
    # The new term starts at the old anniversary, 31 May 2026, and ends at 00:00 of 31 May
    # 2029: its window opens on 1 Feb 2029, and nothing happens at the old anniversary.
    assert plazo(repo) == ("inicio_ventana_renovacion", date(2029, 2, 1))
    repo.avanzar(at("2026-06-01T00:00:00"))
    assert registro(repo) == "registro_vigente"


def test_a_renewal_granted_starts_a_new_term_at_the_old_anniversary(repo):
    cycle_2026_1(repo)
    repo.registrar(renovacion("2026-03-02T10:00:00", A, "solicitada"))
    repo.registrar(renovacion("2026-03-20T10:00:00", A, "otorgada"))
    assert (registro(repo), plazo(repo)) == ("registro_vigente",
                                             ("inicio_ventana_renovacion", date(2029, 2, 1)))
    repo.avanzar(at("2029-02-01T00:00:00"))
    assert plazo(repo) == ("fin_vigencia", date(2029, 5, 30))


def test_a_denied_renewal_lets_the_term_run_to_its_end(repo):
    cycle_2026_1(repo)
    repo.registrar(renovacion("2026-03-02T10:00:00", A, "solicitada"))
    repo.registrar(renovacion("2026-03-10T10:00:00", A, "negada"))
    assert registro(repo) == "registro_por_renovar"
    repo.avanzar(at("2026-05-31T00:00:00"))
    assert registro_steps(repo)[-1] == (at("2026-05-31T00:00:00"), "fin_vigencia",
                                        "registro_vencido")


def test_a_renewal_in_course_at_the_anniversary_does_not_lapse(repo):
    cycle_2026_1(repo)
    # Requested on the last day of the window, Thu 30 Apr 2026. 20 hábil days from Fri 1 May
    # (a rest day): 4-8 May (5), 11-15 (10), 18-22 (15), 25-29 (20): last day Fri 29 May.
    repo.registrar(renovacion("2026-04-30T10:00:00", A, "solicitada"))
    assert plazo(repo) == ("fin_plazo_resolucion", date(2026, 5, 29))
    repo.avanzar(at("2026-06-01T00:00:00"))  # past the anniversary, 31 May
    assert registro(repo) == "registro_sin_respuesta"
    # Denied afterwards: the term had already ended, so the registration lapses at once.
    repo.registrar(renovacion("2026-06-02T10:00:00", A, "negada"))
    assert registro_steps(repo)[-3:] == [
        (at("2026-05-30T00:00:00"), "fin_plazo_resolucion", "registro_sin_respuesta"),
        (at("2026-06-02T10:00:00"), "renovacion_negada", "registro_por_renovar"),
        (at("2026-06-02T10:00:00"), "fin_vigencia", "registro_vencido"),
    ]


def test_granted_after_silence_counts_from_the_old_anniversary(repo):
    cycle_2026_1(repo)
    repo.registrar(renovacion("2026-04-30T10:00:00", A, "solicitada"))
    repo.registrar(renovacion("2026-06-02T10:00:00", A, "otorgada"))  # from sin respuesta
    assert (registro(repo), plazo(repo)) == ("registro_vigente",
                                             ("inicio_ventana_renovacion", date(2029, 2, 1)))


def test_the_tres_meses_policy_reads_day_to_day_and_is_month_end_safe(repo):
    repo.registrar(inp.CalendarioVigente(at=at("2026-01-02T09:00:00"), actor="gt",
                                         politicas=Politicas(ventana_renovacion="tres_meses")))
    cycle_2026_1(repo)
    # Anniversary Sun 31 May 2026; three months earlier is "31 Feb": Sat 28 Feb 2026 (the
    # old reading rolled it over to 3 Mar). The window runs until the term ends.
    assert plazo(repo) == ("inicio_ventana_renovacion", date(2026, 2, 28))
    early = repo.registrar(renovacion("2026-02-27T10:00:00", A, "solicitada"))
    assert early.rechazos[0].motivo == (
        "la renovación solo puede solicitarse dentro de su ventana, del sáb 28-02-2026 al sáb "
        "30-05-2026; la vigencia termina a las 00:00 del dom 31-05-2026")
    assert repo.registrar(renovacion("2026-05-01T10:00:00", A, "solicitada")).aceptadas == 1


def test_a_change_of_policy_moves_the_windows_not_yet_open(repo):
    cycle_2026_1(repo)
    assert plazo(repo) == ("inicio_ventana_renovacion", date(2026, 2, 1))
    repo.registrar(inp.CalendarioVigente(at=at("2026-01-27T09:00:00"), actor="gt",
                                         politicas=Politicas(ventana_renovacion="tres_meses")))
    assert plazo(repo) == ("inicio_ventana_renovacion", date(2026, 2, 28))


def test_a_reopened_store_has_the_same_renewal_plazos(repo, tmp_path):
    cycle_2026_1(repo)
    repo.registrar(renovacion("2026-03-02T10:00:00", A, "solicitada"))
    in_memory = dump(repo.engine)
    repo.store.close()
    reopened = Repositorio(Store(tmp_path / "r.db"))
    assert dump(reopened.engine) == in_memory
    assert plazo(reopened) == ("fin_plazo_resolucion", date(2026, 3, 31))
    reopened.store.close()
