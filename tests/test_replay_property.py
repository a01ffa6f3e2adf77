"""Same log → same state: whatever inputs arrive (fitting or not, late or retroactive), the
state kept in memory equals the state replayed from the store, byte for byte."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repse.core import inputs as inp
from repse.core.api import Repositorio
from repse.core.instantanea import dump
from repse.core.store import Store

from .test_engine import at, padron

RFCS = ["MAB9307148T4", "GODE561231GR8", "AEL7407151YA", "CAÑ8801014Y9"]
START = at("2026-01-26T09:00:00")

rfcs_ = st.lists(st.sampled_from(RFCS), min_size=1, max_size=4)


@st.composite
def entrada(draw, when, ciclo="2026-1"):
    kind = draw(st.sampled_from(["opiniones", "exhorto", "inicio", "cancelacion", "impedida",
                                 "criterio", "reloj", "renovacion", "calendario"]))
    if kind == "opiniones":
        rows = tuple(inp.Resultado(r, draw(st.sampled_from(["positiva", "negativa",
                                                            "sin_opinion"])))
                     for r in dict.fromkeys(draw(rfcs_)))
        return inp.Opiniones(at=when, actor="imss", ciclo=ciclo,
                             ronda=draw(st.sampled_from([1, 2, 3, "diaria"])),
                             completo=draw(st.booleans()), resultados=rows)
    simple = {"exhorto": (inp.Exhorto, "gt"), "inicio": (inp.InicioCancelacion, "stps"),
              "cancelacion": (inp.Cancelacion, "stps")}
    if kind in simple:
        cls, actor = simple[kind]
        return cls(at=when, actor=actor, ciclo=ciclo, rfcs=tuple(draw(rfcs_)))
    if kind == "impedida":
        return inp.CancelacionImpedida(at=when, actor="stps", ciclo=ciclo,
                                       rfcs=tuple(draw(rfcs_)), motivo="amparo")
    if kind == "criterio":
        return inp.Criterio(at=when, actor="gt", ciclo=ciclo, rfcs=tuple(draw(rfcs_)),
                            texto="convenio", efecto="excluir")
    if kind == "renovacion":
        return inp.Renovacion(at=when, actor="stps", rfc=draw(st.sampled_from(RFCS)),
                              resultado=draw(st.sampled_from(["solicitada", "otorgada",
                                                              "negada"])))
    if kind == "calendario":
        return inp.CalendarioVigente(at=when, actor="gt")
    return inp.Reloj(at=when, actor="gt")


@st.composite
def historias(draw):
    steps = []
    when = START
    for _ in range(draw(st.integers(1, 12))):
        when = when + timedelta(hours=draw(st.integers(0, 24 * 20)))
        e = draw(entrada(when))
        if draw(st.integers(0, 9)) == 0:  # now and then, a late input, maybe retroactive
            e = type(e)(**{**{f: getattr(e, f) for f in e.__struct_fields__},
                           "at": when - timedelta(days=draw(st.integers(1, 30))),
                           "retroactivo": draw(st.booleans())})
        steps.append(e)
    return steps


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(historias())
def test_memory_and_replay_always_agree(tmp_path_factory, steps):
    db = tmp_path_factory.mktemp("p") / "p.db"
    repo = Repositorio.crear(db, simulacion=True)
    repo.registrar(padron("2026-01-26T09:00:00", "2026-1", *RFCS,
                          fecha_registro="2023-04-01"))
    for e in steps:
        repo.registrar(e)
    in_memory = dump(repo.engine)
    repo.store.close()
    assert dump(Repositorio(Store(db)).engine) == in_memory
