"""The read model: what every screen, list and command reads, as of one version of the log.

A :class:`Vista` is built by the repository after each input it applies (``Repositorio.vista()``)
from a frozen copy of the engine's state: once handed out nothing changes it, so the Textual UI
thread can read it while the repository thread applies the next input. Everything in it is keyed
by RFC; a padrón row's position (``fila``) is only an index into this one Vista, used by tables
that render 150,000 rows on demand.

The shells (the CLI and the Textual app) read only this module, the API, the input types and the
errors: never the engine or the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from functools import cached_property

import numpy as np

from . import consultas, views
from .exports import Listado, listados, ronda_en_curso
from .motor import OPINIONES, Engine, instant
from .plazos import MX, next_habil_day
from .table import EXPEDIENTE

# Re-exported read records (the shells import them from here).
Obligacion = views.Obligacion
ProximoPlazo = views.ProximoPlazo
EstadoContratista = views.EstadoContratista
Paso = views.Paso
Estadisticas = views.Estadisticas
Movimiento = consultas.Movimiento
Expediente = consultas.Expediente

SIN_OPINION_AUN = "ninguna"  # the opinion filter for "no opinion received yet"


@dataclass(frozen=True)
class FilaPadron:
    """One line of the padrón table."""

    rfc: str
    razon_social: str
    ciclo: str | None  # the cycle whose procedure is shown (the latest); None: no cycle
    estado: str | None
    opinion: str | None
    proximo_plazo: ProximoPlazo | None


@dataclass(frozen=True)
class Ficha:
    """One contractor's file: registration, every procedure of every cycle, history."""

    rfc: str
    razon_social: str
    folio: str
    correo: str | None
    domicilio: str | None
    registro: str  # registration state id
    plazo_registro: ProximoPlazo | None
    expedientes: tuple[Expediente, ...]  # oldest cycle first
    historial: tuple[Paso, ...]
    recorrido: tuple[str, ...]  # states of the latest procedure, in order (lifecycle drawing)


class Vista:
    """The state as of input ``version`` (0: an empty store), read-only."""

    def __init__(self, engine: Engine, version: int = 0, *, congelado: bool = False) -> None:
        self._engine = engine if congelado else engine.copia()
        self.version = version

    # --- the clock and the cycles ---------------------------------------------------------
    @property
    def reloj(self) -> datetime | None:
        return instant(self._engine.reloj) if self._engine.reloj else None

    @cached_property
    def ciclos(self) -> tuple[str, ...]:
        """Every cycle opened, oldest first."""
        return tuple(c.nombre for c in self._engine.ciclos_ordenados())

    @property
    def ciclo_actual(self) -> str | None:
        """The latest cycle opened (the one the tablero shows by default)."""
        return self.ciclos[-1] if self.ciclos else None

    def dia_habil_siguiente(self) -> datetime:
        """00:00 of the joint hábil day after the clock's day."""
        today = instant(self._engine.reloj).date()
        nxt = next_habil_day(today, self._engine.cal.conjunto())
        return datetime.combine(nxt, time(0), tzinfo=MX)

    # --- the padrón -----------------------------------------------------------------------
    @cached_property
    def _padron(self) -> consultas.Padron:
        return consultas.padron(self._engine)

    @cached_property
    def _busqueda(self) -> consultas.Busqueda:
        return consultas.Busqueda(self._engine)

    def __len__(self) -> int:
        return len(self._engine.rfcs)

    def filtrar(self, *, estado: str | None = None, opinion: str | None = None,
                texto: str = "", dentro: np.ndarray | None = None) -> np.ndarray:
        """Padrón rows (``fila`` positions, padrón order) matching every filter given:
        ``estado`` a procedure state id, ``opinion`` an opinion or :data:`SIN_OPINION_AUN`,
        ``texto`` a substring of the RFC or the razón social; ``dentro`` narrows an earlier
        result (an incremental search that only grew)."""
        codigo_estado = EXPEDIENTE.state_code(estado) if estado is not None else None
        codigo_opinion = None
        if opinion is not None:
            codigo_opinion = 0 if opinion == SIN_OPINION_AUN else OPINIONES.index(opinion)
        return consultas.filtrar(self._padron, estado=codigo_estado, opinion=codigo_opinion,
                                 texto=texto, busqueda=self._busqueda if texto.strip() else None,
                                 dentro=dentro)

    def fila(self, k: int) -> FilaPadron:
        st = consultas.fila(self._engine, self._padron, k)
        return FilaPadron(self._engine.rfcs[k], self._engine.razon_social[k], st.ciclo,
                          st.estado, st.opinion, st.proximo_plazo)

    def rfc(self, k: int) -> str:
        return self._engine.rfcs[k]

    def posicion(self, rfc: str) -> int | None:
        """The padrón row of ``rfc`` (None: not in any padrón received)."""
        return self._engine.index.get(rfc.strip().upper())

    def conteos(self, ciclo: str | None = None) -> dict[str, int]:
        """Procedures per state, in chart order: of one cycle, or the displayed ones."""
        return self._padron.conteos(ciclo)

    # --- one contractor -------------------------------------------------------------------
    def estado(self, rfc: str) -> EstadoContratista | None:
        i = self.posicion(rfc)
        return None if i is None else views.estado_de(self._engine, i)

    def ficha(self, rfc: str) -> Ficha | None:
        i = self.posicion(rfc)
        if i is None:
            return None
        e = self._engine
        exps = tuple(consultas.expedientes(e, i))
        recorrido = tuple(consultas.recorrido(e, i, exps[-1].ciclo)) if exps else ()
        return Ficha(e.rfcs[i], e.razon_social[i], e.folio[i], e.correo[i], e.domicilio[i],
                     views.REGISTRO.states[e.registro[i]], consultas.plazo_registro(e, i), exps,
                     tuple(views.historial(e, e.rfcs[i])), recorrido)

    def historial(self, rfc: str) -> list[Paso]:
        return views.historial(self._engine, rfc.strip().upper())

    def contratistas(self) -> dict[str, EstadoContratista]:
        return views.contratistas(self._engine)

    # --- the cycle as a whole -------------------------------------------------------------
    @cached_property
    def _agenda(self) -> tuple[Obligacion, ...]:
        return tuple(views.obligaciones(self._engine))

    def agenda(self, ciclo: str | None = None) -> list[Obligacion]:
        return [o for o in self._agenda if ciclo is None or o.ciclo == ciclo]

    def movimientos(self, cuantos: int = 10) -> list[Movimiento]:
        return consultas.ultimos_movimientos(self._engine, cuantos)

    def estadisticas(self, ciclo: str) -> Estadisticas:
        return views.estadisticas(self._engine, ciclo)

    def listados(self, ciclo: str, ronda: int | str) -> list[Listado]:
        return listados(self._engine, ciclo, ronda)

    def ronda_en_curso(self, ciclo: str) -> int | str | None:
        return ronda_en_curso(self._engine, ciclo)

    def proximo_vencimiento(self) -> datetime | None:
        """The next deadline: a plazo that ends (its expiry fires at midnight after its last
        day), a registration's term that ends, or the cut-off of a pending obligation."""
        reloj = self._engine.reloj
        # A renewal window opening is not a deadline: stepping would stop on every day of the
        # year some registration enters its window.
        moments = [when for when, event, *_ in self._engine.clock_candidates()
                   if when > reloj and event != "inicio_ventana_renovacion"]
        moments += [int(o.limite.timestamp()) + 1 for o in self._agenda
                    if o.estado == "pendiente" and int(o.limite.timestamp()) >= reloj]
        return instant(min(moments)) if moments else None
