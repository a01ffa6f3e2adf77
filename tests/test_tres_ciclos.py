"""A record that spans years (issue 11): three consecutive cycles, pinned as a trace — a
cancellation impeded in 2026-1 that stays suspended, another regularized by the 2026-2 round-1
opinion, a voluntary cancellation and a lapse that conclude 2026-2 procedures without
cancelling them, and 2027-1 opening over what is left.

Dates, base calendar only (an empty closures file), computed by hand:
- 2026-1: D0 Mon 26 Jan 2026. Exhorto notified Wed 28 Jan → 30 natural days 29 Jan … Fri 27 Feb
  → D2 Mon 2 Mar. Cancellation started 2 Mar → 5 STPS hábil days 3, 4, 5, 6, 9 Mar → D3 Tue
  10 Mar; impeded that day for B and C.
- 2026-2: D0 Mon 27 Jul 2026 (the last Monday of July). Round 1 that day; exhorto Wed 29 Jul →
  30 natural days 30 Jul … Fri 28 Aug → D2 Mon 31 Aug.
- E, registered 15 Sep 2023: the term ends at 00:00 of 15 Sep 2026; its renewal window is the
  three calendar months before September (1 Jun – 31 Aug 2026); nothing requested, so it lapses
  at 00:00 of Tue 15 Sep 2026.
- 2027-1: D0 Mon 25 Jan 2027 (the last Monday of January).
"""

from __future__ import annotations

from datetime import date

from repse.core import inputs as inp
from repse.core.api import Repositorio
from repse.core.vista import ExpedienteCiclo

from .test_ciclos import impedidos_2026_1
from .test_engine import A, B, C, D, acto, at, opiniones

E = "EES070422UV1"
REGISTRO = {A: "2024-06-01", B: "2024-06-01", C: "2024-06-01", D: "2024-06-01",
            E: "2023-09-15"}


def padron(when: str, ciclo: str, *rfcs: str) -> inp.Padron:
    return inp.Padron(at=at(when), actor="stps", ciclo=ciclo, contratistas=tuple(
        inp.FilaPadron(r, f"Empresa {r}", f"F-{k}", date.fromisoformat(REGISTRO[r]))
        for k, r in enumerate(rfcs)))


def entradas() -> list[inp.Entrada]:
    return [
        # 2026-1: B and C negativa all the way; STPS cannot cancel them on D3.
        padron("2026-01-26T09:00:00", "2026-1", A, B, C, D, E),
        *impedidos_2026_1(B, C),
        # 2026-2: C is not in the padrón (still suspended in 2026-1); D and E negativa; B
        # positiva by the complete list — also its 2026-1 daily update, which regularizes it.
        padron("2026-07-27T09:00:00", "2026-2", A, B, D, E),
        opiniones("2026-07-27T17:00:00", "2026-2", 1, True, **{D: "negativa", E: "negativa"}),
        acto(inp.Exhorto, "2026-07-29T10:00:00", "2026-2", D, E, actor="gt"),
        inp.CancelacionRegistro(at=at("2026-08-10T10:00:00"), actor="stps", rfcs=(D,),
                                causa="voluntaria", motivo="A petición de la contratista"),
        opiniones("2026-08-31T11:00:00", "2026-2", 2, True, **{E: "negativa"}),
        inp.Reloj(at=at("2026-09-15T09:00:00"), actor="gt"),  # E's term ended at 00:00
        # 2027-1: A, B and C; C's 2026-1 procedure is still suspended beside its new one.
        padron("2027-01-25T09:00:00", "2027-1", A, B, C),
        opiniones("2027-01-25T17:00:00", "2027-1", 1, True, **{C: "negativa"}),
    ]


def registrar_todo(tmp_path) -> Repositorio:
    empty = tmp_path / "vacio.toml"
    empty.write_text("")
    repo = Repositorio.crear(tmp_path / "r.db", calendario=empty, simulacion=True)
    for entrada in entradas():
        r = repo.registrar(entrada)
        assert r.aceptada and not r.rechazos, r
    return repo


def traza(repo: Repositorio) -> str:
    vista = repo.vista()
    lineas = []
    for rfc in (A, B, C, D, E):
        st = vista.estado(rfc)
        lineas.append(f"{rfc} — registro {st.registro}; "
                      + "; ".join(f"{e.ciclo}: {e.estado}" for e in st.expedientes))
        for p in vista.historial(rfc):
            cambio = f"{p.desde} → {p.hacia}" if p.desde else "(nota)"
            lineas.append(f"  {p.at:%Y-%m-%d %H:%M}  #{p.entrada:<3} {p.ciclo or 'registro':<8} "
                          f"{p.evento:<28} {cambio}")
            lineas += [f"      {linea}" for linea in p.nota.splitlines() if linea]
    for ciclo in vista.ciclos:
        e = vista.estadisticas(ciclo)
        lineas.append(f"{ciclo}: cancelados {e.cancelados}, concluidos sin registro "
                      f"{e.concluidos_sin_registro}, suspendidos {e.suspendidos}, "
                      f"regularizados en actualización diaria {e.regularizados_diaria}")
    return "\n".join(lineas) + "\n"


def test_three_cycles_with_a_suspension_a_lapse_a_voluntary_cancellation_and_a_regularization(
        tmp_path, snapshot):
    repo = registrar_todo(tmp_path)
    vista = repo.vista()
    assert vista.estado(B).expedientes == (ExpedienteCiclo("2026-1", "regularizado"),
                                           ExpedienteCiclo("2026-2", "al_corriente"),
                                           ExpedienteCiclo("2027-1", "al_corriente"))
    assert vista.estado(C).expedientes == (ExpedienteCiclo("2026-1", "cancelacion_suspendida"),
                                           ExpedienteCiclo("2027-1", "senalado"))
    assert vista.estado(D).registro == "registro_cancelado"
    assert vista.estado(D).expedientes[-1] == ExpedienteCiclo("2026-2", "concluido_sin_registro")
    assert vista.estado(E).registro == "registro_vencido"
    assert vista.estado(E).expedientes[-1] == ExpedienteCiclo("2026-2", "concluido_sin_registro")

    # The dates each rule gives, as computed above.
    def cuando(rfc: str, evento: str, ciclo: str | None):
        return next(p.at for p in vista.historial(rfc) if p.evento == evento and p.ciclo == ciclo)

    assert cuando(B, "opinion_positiva", "2026-1") == at("2026-07-27T17:00:00")
    assert cuando(D, "registro_terminado", "2026-2") == at("2026-08-10T10:00:00")
    assert cuando(E, "fin_vigencia", None) == at("2026-09-15T00:00:00")
    assert cuando(E, "registro_terminado", "2026-2") == at("2026-09-15T00:00:00")
    assert cuando(E, "fin_plazo_regularizacion", "2026-2") == at("2026-08-29T00:00:00")

    # The mechanism cancelled nobody in 2026-2: two procedures concluded without registration.
    e = vista.estadisticas("2026-2")
    assert (e.cancelados, e.concluidos_sin_registro) == (0, 2)
    assert traza(repo) == snapshot
