"""The store under attack (issue 10): a process that opens the store while another commits must
never lose an input; the snapshot is trusted only for the exact log head it names."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from pathlib import Path

from repse.core import inputs as inp
from repse.core.api import Repositorio
from repse.core.plazos import MX
from repse.core.rfc import check_digits

D0 = datetime(2026, 1, 26, 9, 0, tzinfo=MX)  # D0 of cycle 2026-1 (last Monday of January)


def rfcs(n: int) -> list[str]:
    """``n`` distinct well-formed persona-moral RFCs with their check digit."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    bodies = [f"{letters[i // 676 % 26]}{letters[i // 26 % 26]}{letters[i % 26]}"
              f"{date(1990, 1, 1) + timedelta(days=i):%y%m%d}A10" for i in range(n)]
    return [b[:-1] + d for b, d in zip(bodies, check_digits(bodies), strict=True)]


def padron_de(rfc: str, k: int) -> inp.Padron:
    """A padrón input adding one contractor to cycle 2026-1, one second after the previous."""
    return inp.Padron(at=D0 + timedelta(seconds=k), actor="stps", ciclo="2026-1",
                      contratistas=(inp.FilaPadron(rfc=rfc, razon_social=f"EMPRESA {k}",
                                                   folio=str(k),
                                                   fecha_registro=date(2025, 1, 1)),))


def test_opening_while_another_process_commits_never_loses_an_input(tmp_path):
    """D1: a reader opens (replaying, since the snapshot is stale) while a writer commits.
    Every state a reader builds must hold exactly the contractors of the inputs it says it
    applied, and the snapshot it leaves behind must not hide any input from later readers."""
    db = tmp_path / "s.db"
    Repositorio.crear(db, simulacion=True).cerrar()
    leer_mientras_otro_escribe(db, db)


def leer_mientras_otro_escribe(escribe: str | Path, lee: str | Path) -> None:
    """Two readers open the store at ``lee`` again and again while a writer appends 240 padrón
    inputs to it at ``escribe`` (the same store; on a server, as two logins)."""
    todos = rfcs(240)
    errores: list[str] = []
    fin = threading.Event()

    def escritor() -> None:
        repo = Repositorio.abrir(escribe)
        try:
            for k, rfc in enumerate(todos, 1):
                assert repo.registrar(padron_de(rfc, k)).aceptada
        finally:
            repo.store.close()  # no snapshot from the writer: readers must rebuild
            fin.set()

    def lector() -> None:
        while not fin.is_set():
            repo = Repositorio.abrir(lee)
            vista = repo.vista()
            # Input 1 is the calendar; each later input adds one contractor.
            if len(vista) != max(0, vista.version - 1):
                errores.append(f"versión {vista.version}: {len(vista)} contratistas")
            repo.cerrar()  # saves its snapshot, as every CLI command does

    def sin_perder_errores(hacer):
        def hilo() -> None:
            try:
                hacer()
            except BaseException as exc:  # a thread's exception must fail the test
                errores.append(f"{hacer.__name__}: {exc!r}")
                fin.set()
        return hilo

    hilos = [threading.Thread(target=sin_perder_errores(f)) for f in (escritor, lector, lector)]
    for h in hilos:
        h.start()
    for h in hilos:
        h.join()
    assert errores == []
    repo = Repositorio.abrir(lee)
    assert len(repo.vista()) == len(todos)
    assert all(repo.vista().posicion(r) is not None for r in todos)
