"""The demo files: deterministic, realistic in proportions, and read back by the importer with
exactly the messy rows they were given refused or warned."""

from __future__ import annotations

import doctest
import shlex
from datetime import date, timedelta

import numpy as np
import pytest

from repse.core.cycle import Ciclo
from repse.core.demo import contratistas, generar_demo
from repse.core.demo.contratistas import NANDU
from repse.core.demo.leeme import linea_importar
from repse.core.errors import DemoError
from repse.core.importing import entrada, leer
from repse.core.motor import add_months
from repse.core.rfc import check_rfcs


@pytest.fixture(scope="module")
def generado(tmp_path_factory):
    destino = tmp_path_factory.mktemp("demo")
    resumen = generar_demo(500, 11, destino)
    lecturas = {a.nombre: leer(a.tipo, destino / a.nombre) for a in resumen.archivos}
    return destino, resumen, lecturas


def test_docstring_examples():
    assert doctest.testmod(contratistas).failed == 0


def test_same_seed_same_bytes_other_seed_other_data(tmp_path):
    uno, dos, otra = (generar_demo(60, s, tmp_path / d) for s, d in ((5, "a"), (5, "b"), (6, "c")))
    nombres = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert nombres == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert nombres == sorted([*(a.nombre for a in uno.archivos), "LEEME.txt"])
    for nombre in nombres:
        assert (tmp_path / "a" / nombre).read_bytes() == (tmp_path / "b" / nombre).read_bytes(), \
            nombre
    assert uno.archivos == dos.archivos
    assert (tmp_path / "a" / "padron.csv").read_bytes() != \
        (tmp_path / "c" / "padron.csv").read_bytes()
    assert otra.contratistas == 60


def test_every_file_reads_back_with_exactly_the_intended_messy_rows(generado):
    _, resumen, lecturas = generado
    for archivo in resumen.archivos:
        lectura = lecturas[archivo.nombre]
        assert lectura.filas_leidas == archivo.filas, archivo.nombre
        assert tuple(r.fila for r in lectura.rechazos) == archivo.rechazadas, archivo.nombre
        assert tuple(sorted({a.fila for a in lectura.avisos})) == archivo.con_aviso, \
            archivo.nombre
    padron = lecturas["padron.csv"]
    assert len(padron.filas) == resumen.contratistas
    assert len(padron.rechazos) == 5 and len(padron.avisos) == 1
    motivos = " | ".join(r.motivo for r in padron.rechazos)
    for esperado in ("RFC mal formado", "RFC genérico", "RFC duplicado", "ese día no existe",
                     "falta la razón social"):
        assert esperado in motivos


def test_the_files_tell_one_consistent_cycle(generado):
    _, _, lecturas = generado

    def rfcs(nombre: str) -> set[str]:
        return {f.rfc for f in lecturas[nombre].filas}

    padron = rfcs("padron.csv")
    ronda1, ronda2, ronda3 = (rfcs("opiniones_ronda1.csv"), rfcs("opiniones_ronda2.xlsx"),
                              rfcs("opiniones_ronda3.csv"))
    assert ronda1 <= padron and ronda2 <= ronda1 and ronda3 <= ronda2
    assert rfcs("exhorto.csv") == ronda1
    assert rfcs("inicio_cancelacion.csv") == ronda2
    assert rfcs("cancelacion.csv") | rfcs("cancelacion_impedida.csv") == ronda3
    assert not rfcs("cancelacion.csv") & rfcs("cancelacion_impedida.csv")
    diarias = [rfcs(f"opiniones_diaria_{k}.csv") for k in (1, 2, 3)]
    assert diarias[0] == rfcs("cancelacion_impedida.csv")
    assert diarias[0] >= diarias[1] >= diarias[2]
    # Ñ and accents survive the Latin-1 file and the XLSX.
    nandu = next(f for f in lecturas["padron.csv"].filas if f.razon_social == NANDU)
    assert nandu.rfc.startswith("ÑCO") and nandu.rfc in ronda1 and nandu.rfc in ronda2


def test_proportions_look_like_a_real_cycle(generado):
    _, resumen, lecturas = generado
    assert resumen.ronda1 == 60  # 12 % of 500
    assert resumen.negativas_ronda1 > resumen.sin_opinion_ronda1 > 0
    assert resumen.ronda1 > resumen.ronda2 > resumen.ronda3 > resumen.impedidos > 0
    assert resumen.cancelados + resumen.impedidos == resumen.ronda3
    opiniones = [r.opinion for r in lecturas["opiniones_ronda1.csv"].filas]
    assert opiniones.count("negativa") == resumen.negativas_ronda1
    assert opiniones.count("sin_opinion") == resumen.sin_opinion_ronda1
    # IMSS lists Negativa first, then Sin opinión.
    assert opiniones == sorted(opiniones)


def test_the_padron_looks_real(generado):
    _, _, lecturas = generado
    filas = lecturas["padron.csv"].filas
    d0 = Ciclo(2026, 1).fecha_consulta
    largos = [len(f.rfc) for f in filas]
    assert 0 < largos.count(13) < largos.count(12)  # some personas físicas, mostly morales
    assert sum(1 for c in check_rfcs([f.rfc for f in filas]) if c.aviso) == 1
    assert all(d0 - timedelta(days=3 * 365) <= f.fecha_registro < d0 for f in filas)
    vence = add_months(np.array([f.fecha_registro.toordinal() for f in filas]), 36)
    ventana = add_months(vence, -3)
    assert (ventana <= d0.toordinal()).any()  # some registrations are in their renewal window
    # …but none ends during the cycle (about D0 + 60 days): the demo records no renewals.
    assert (vence > d0.toordinal() + 60).all()
    assert len({f.folio for f in filas}) == len(filas)
    assert any(f.correo for f in filas) and any(f.domicilio for f in filas)
    assert any(f.correo is None for f in filas)


def test_every_step_builds_an_input_with_its_leeme_parameters(generado):
    destino, resumen, lecturas = generado
    leeme = (destino / "LEEME.txt").read_text(encoding="utf-8")
    for archivo in resumen.archivos:
        construida = entrada(archivo.tipo, lecturas[archivo.nombre], ciclo=resumen.ciclo,
                             at=archivo.at, actor=archivo.actor, ronda=archivo.ronda,
                             completo=archivo.completo, motivo=archivo.motivo)
        assert construida.archivo == archivo.nombre
        assert linea_importar(archivo, resumen.ciclo) in leeme


def test_leeme(tmp_path, snapshot):
    generar_demo(60, 1, tmp_path)
    assert (tmp_path / "LEEME.txt").read_text(encoding="utf-8") == snapshot


def test_other_cycles_and_too_few_contractors(tmp_path):
    resumen = generar_demo(50, 3, tmp_path, Ciclo(2027, 2))
    assert resumen.ciclo == "2027-2"
    assert resumen.archivos[0].at.date() == date(2027, 7, 26)
    with pytest.raises(DemoError, match="al menos 50 contratistas"):
        generar_demo(49, 3, tmp_path)


def test_the_demo_rehearses_a_whole_cycle_through_the_engine(tmp_path):
    from collections import Counter

    from repse.core.api import Repositorio

    resumen = generar_demo(300, 4, tmp_path)
    repo = Repositorio.crear(tmp_path / "repse.sqlite")
    for archivo in resumen.archivos:
        lectura = leer(archivo.tipo, tmp_path / archivo.nombre)
        respuesta = repo.registrar(entrada(
            archivo.tipo, lectura, ciclo=resumen.ciclo, at=archivo.at, actor=archivo.actor,
            ronda=archivo.ronda, completo=archivo.completo, motivo=archivo.motivo))
        assert respuesta.aceptada, (archivo.nombre, respuesta.motivo)
        assert respuesta.rechazos == [], (archivo.nombre, respuesta.rechazos)
    estados = Counter(c.estado for c in repo.estado().contratistas.values())
    ultima_diaria = resumen.archivos[-1].filas
    assert estados == {
        "al_corriente": resumen.contratistas - resumen.ronda1,
        "regularizado": resumen.ronda1 - resumen.ronda3 + resumen.impedidos - ultima_diaria,
        "cancelado": resumen.cancelados,
        "cancelacion_suspendida": ultima_diaria,
    }


def test_the_leeme_commands_run_as_written(tmp_path, monkeypatch, capsys):
    """LEEME.txt spells the CLI: every command in it, typed as written from the demo folder, is
    accepted by the real ``repse`` (a renamed flag fails here, not in an operator's terminal)."""
    from repse.tui import cli

    resumen = generar_demo(60, 2, tmp_path)
    monkeypatch.chdir(tmp_path)
    comandos = [line.strip() for line in (tmp_path / "LEEME.txt").read_text(encoding="utf-8")
                .splitlines() if line.startswith("    repse ")]
    assert len(comandos) == 1 + len(resumen.archivos)  # init, then one import per file
    assert cli.main(shlex.split(comandos[0])[1:]) == 0
    for comando, archivo in zip(comandos[1:], resumen.archivos, strict=True):
        capsys.readouterr()
        # An import with refused rows ends with status 1 after recording the input.
        assert cli.main(shlex.split(comando)[1:]) == (1 if archivo.rechazadas else 0), comando
        salida = capsys.readouterr().out
        n = len(archivo.rechazadas)
        assert ("1 rechazada," if n == 1 else f"{n:,} rechazadas") in salida, (comando, salida)


def test_a_padron_larger_than_the_folio_numbers_gets_distinct_folios(tmp_path, monkeypatch):
    """`repse demo-datos` above 990,000 contractors drew more distinct folios than exist
    (found by an adversarial run); the folio numbers now grow with the padrón. Shrunk here to stay
    fast."""
    monkeypatch.setattr(contratistas, "FOLIOS", 40)
    resumen = generar_demo(60, 1, tmp_path)
    filas = leer("padron", tmp_path / "padron.csv").filas
    assert len(filas) == resumen.contratistas == 60
    assert len({f.folio for f in filas}) == 60
