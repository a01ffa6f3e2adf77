"""Demo files to rehearse a whole cycle from files alone (``repse demo-datos``).

:func:`generar_demo` writes, for one cycle, the files the operators would receive — the padrón,
the opinion lists of every round and of the daily updates, and the RFC lists of each act — and a
``LEEME.txt`` with the nominal date of each step and the ``repse importar`` line that loads it.

The data look real: Mexican company and person names, personas morales with 12-character RFCs
and personas físicas with 13, built from the name and a date with valid check digits; registrations
spread over the three years before D0, so some are near their renewal. About 12 % of the padrón is
listed at round 1 (Negativa and Sin opinión), about half of them at round 2, fewer at round 3.

They are also as messy as real files, on purpose and always the same way for a seed: formats
differ from file to file (UTF-8 with and without BOM, one file in Latin-1 with semicolons, one
XLSX, lenient header spellings, ``DD/MM/AAAA`` dates, trailing spaces, blank lines), and a few
rows must be refused by the importer (a malformed RFC, a generic RFC, a repeated RFC, an
impossible date, a missing razón social) or accepted with a warning (a failed check digit). A messy
row never hides a contractor the cycle needs: refused rows are extra rows. :class:`ResumenDemo`
lists, per file, the rows the importer must refuse and those it must warn about.

Same seed, same cycle → the same bytes (the XLSX too: :func:`repse.core.exports.xlsx_bytes` fixes
its dates).
"""

from __future__ import annotations

import csv
import hashlib
import io
import random
import re
import textwrap
from collections.abc import Sequence
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import msgspec
import numpy as np

from .calendars import calendarios
from .cycle import Ciclo, PlanCiclo, fecha_corta, plan_ciclo
from .errors import DemoError
from .exports import xlsx_bytes
from .inputs import ACTORES, Ronda
from .plazos import MX, next_habil_day
from .rfc import GENERICOS, check_digits

MINIMO_CONTRATISTAS = 50  # below this, some step of the cycle would have nobody
PROPORCION_RONDA1 = 0.12  # listed at round 1 (DOMAIN.md, "Scale": 10–15 % per cycle)
PROPORCION_NEGATIVA = 0.65  # of those listed, Negativa (the rest Sin opinión)
SIGUEN_RONDA2 = 0.5  # of those exhorted, still listed at round 2
SIGUEN_RONDA3 = 0.6  # of those in the cancellation procedure, still listed at round 3
IMPEDIDAS = 0.05  # of those listed at round 3, cancellations STPS cannot execute
DIAS_DIARIOS = 3  # daily updates of the impeded universe
PROPORCION_FISICAS = 0.08
BASE_DATOS = "repse.sqlite"
MOTIVO_IMPEDIDA = "Suspensión concedida en juicio de amparo"
NANDU = "ÑANDÚ CONSTRUCCIONES, S.A. DE C.V."  # Ñ and accents must survive every file

# --- names --------------------------------------------------------------------------------------

GIROS = (
    "SERVICIOS", "CONSTRUCTORA", "GRUPO", "TRANSPORTES", "COMERCIALIZADORA", "CONSULTORES",
    "SOLUCIONES", "INGENIERÍA", "DESARROLLOS", "PROYECTOS", "MANTENIMIENTO INDUSTRIAL",
    "LIMPIEZA PROFESIONAL", "SEGURIDAD PRIVADA", "LOGÍSTICA", "SISTEMAS", "TECNOLOGÍA",
    "EDIFICACIONES", "INSTALACIONES", "ASESORÍA", "CORPORATIVO", "OPERADORA", "SUMINISTROS",
)
LUGARES = (
    "DEL BAJÍO", "DEL NORTE", "DEL PACÍFICO", "DEL GOLFO", "DEL SURESTE", "AZTECA", "ANÁHUAC",
    "MAYA", "TOLTECA", "QUERÉTARO", "REGIOMONTANA", "JALISCIENSE", "OAXAQUEÑA", "YUCATECA",
    "SONORENSE", "POTOSINA", "HUASTECA", "PENINSULAR", "MICHOACANA", "POBLANA", "TEPEYAC",
    "CHAPULTEPEC", "CUAUHTÉMOC", "DEL VALLE", "DE LA LAGUNA", "DEL CENTRO",
)
APELLIDOS = (
    "HERNÁNDEZ", "GARCÍA", "MARTÍNEZ", "LÓPEZ", "GONZÁLEZ", "PÉREZ", "RODRÍGUEZ", "SÁNCHEZ",
    "RAMÍREZ", "CRUZ", "FLORES", "GÓMEZ", "MORALES", "VÁZQUEZ", "REYES", "JIMÉNEZ", "TORRES",
    "DÍAZ", "GUTIÉRREZ", "RUIZ", "MENDOZA", "AGUILAR", "ORTIZ", "MORENO", "CASTILLO", "ROMERO",
    "ÁLVAREZ", "MÉNDEZ", "CHÁVEZ", "RIVERA", "JUÁREZ", "RAMOS", "DOMÍNGUEZ", "HERRERA",
    "MEDINA", "CASTRO", "VARGAS", "GUZMÁN", "VELÁZQUEZ", "MUÑOZ", "ROJAS", "PEÑA", "NÚÑEZ",
    "IBÁÑEZ", "ORDÓÑEZ", "CORTÉS", "SALAZAR", "ESPINOZA", "LUNA", "CAMPOS", "ACUÑA", "ZÚÑIGA",
)
NOMBRES = (
    "JUAN", "JOSÉ LUIS", "MARÍA GUADALUPE", "LUIS", "CARLOS", "JORGE", "ANA", "ROSA MARÍA",
    "FRANCISCO", "MIGUEL ÁNGEL", "ALEJANDRA", "VERÓNICA", "PATRICIA", "JESÚS", "FERNANDO",
    "GABRIELA", "RICARDO", "SOFÍA", "ARTURO", "MARÍA DEL CARMEN", "JOSÉ", "LETICIA", "RAÚL",
    "MÓNICA", "HÉCTOR", "ADRIANA", "SERGIO", "CLAUDIA", "ÓSCAR", "BEATRIZ",
)
FORMAS = (  # legal form, weight
    ("S.A. DE C.V.", 55), ("S. DE R.L. DE C.V.", 20), ("S.A.S. DE C.V.", 10),
    ("S.A.P.I. DE C.V.", 8), ("S.C.", 7),
)
CIUDADES = (  # municipio, estado, first two digits of the código postal
    ("Benito Juárez", "Ciudad de México", 3), ("Cuauhtémoc", "Ciudad de México", 6),
    ("Miguel Hidalgo", "Ciudad de México", 11), ("Azcapotzalco", "Ciudad de México", 2),
    ("Monterrey", "Nuevo León", 64), ("San Pedro Garza García", "Nuevo León", 66),
    ("Guadalajara", "Jalisco", 44), ("Zapopan", "Jalisco", 45), ("Querétaro", "Querétaro", 76),
    ("León", "Guanajuato", 37), ("Puebla", "Puebla", 72), ("Tijuana", "Baja California", 22),
    ("Mérida", "Yucatán", 97), ("Hermosillo", "Sonora", 83), ("Toluca", "México", 50),
    ("Naucalpan de Juárez", "México", 53), ("Tlalnepantla de Baz", "México", 54),
    ("Chihuahua", "Chihuahua", 31), ("San Luis Potosí", "San Luis Potosí", 78),
    ("Aguascalientes", "Aguascalientes", 20), ("Veracruz", "Veracruz", 91),
    ("Culiacán", "Sinaloa", 80), ("Saltillo", "Coahuila", 25), ("Morelia", "Michoacán", 58),
    ("Oaxaca de Juárez", "Oaxaca", 68), ("Cancún", "Quintana Roo", 77),
)
CALLES = (
    "Insurgentes Sur", "Paseo de la Reforma", "Juárez", "Hidalgo", "Morelos", "Independencia",
    "5 de Mayo", "16 de Septiembre", "Revolución", "Constitución", "Lázaro Cárdenas",
    "Vallarta", "Constituyentes", "Universidad", "Niños Héroes", "Zaragoza", "Allende",
    "Venustiano Carranza", "Emiliano Zapata", "Francisco I. Madero", "Miguel Ángel de Quevedo",
)
TIPOS_CALLE = ("Av.", "Calle", "Blvd.", "Calz.", "Priv.")
COLONIAS = (
    "Centro", "Del Valle", "Juárez", "Roma Norte", "Condesa", "Industrial", "Moderna",
    "Las Águilas", "Jardines del Bosque", "Obrera", "Del Carmen", "San Rafael", "Lomas Verdes",
    "Santa Fe", "La Paz", "Campestre", "Residencial Las Fuentes", "Nápoles", "Peñón",
)
BUZONES = ("contacto", "administracion", "facturacion", "rh", "direccion", "cumplimiento")
CORREOS_PERSONALES = ("gmail.com", "hotmail.com", "outlook.com", "yahoo.com.mx", "prodigy.net.mx")

# Words the SAT skips when it takes a company's initials, and four-letter words it will not
# issue (their last letter becomes X).
_VACIAS = frozenset({"DE", "DEL", "LA", "LAS", "LOS", "EL", "Y", "E", "EN", "CON", "PARA", "POR",
                     "A", "AL", "COMPAÑIA", "CIA", "SOCIEDAD", "COOPERATIVA"})
_INCONVENIENTES = frozenset({
    "BUEI", "BUEY", "CACA", "CACO", "CAGA", "CAGO", "CAKA", "COGE", "COJA", "COJE", "COJI", "COJO",
    "CULO", "FETO", "GUEY", "JOTO", "KACA", "KACO", "KAGA", "KAGO", "KOGE", "KOJO", "KAKA", "KULO",
    "MAME", "MAMO", "MEAR", "MEON", "MION", "MOCO", "MULA", "PEDA", "PEDO", "PENE", "PUTA", "PUTO",
    "QULO", "RATA", "RUIN"})
_HOMOCLAVE = "123456789ABCDEFGHIJKLMNPQRSTUVWXYZ"
_SIN_ACENTO = str.maketrans("ÁÉÍÓÚÜ", "AEIOUU")  # Ñ stays: it is a letter of the RFC


_NO_LETRA = re.compile(r"[^A-ZÑ& ]")


def _letras(text: str) -> list[str]:
    words = _NO_LETRA.sub(" ", text.upper().translate(_SIN_ACENTO)).split()
    return [w for w in words if w not in _VACIAS]


def letras_moral(razon_social: str) -> str:
    """The three letters of a persona moral's RFC, from its name without the legal form
    (simplified SAT rule: initials of three words; of two, the first's initial and the second's
    first two letters; of one, its first three letters).

    >>> letras_moral(NANDU), letras_moral("GRUPO DEL BAJÍO, S.A. DE C.V.")
    ('ÑCO', 'GBA')
    """
    return _iniciales(razon_social.rsplit(",", 1)[0])


@lru_cache(maxsize=1 << 16)  # a padrón repeats its name patterns
def _iniciales(nombre: str) -> str:
    words = _letras(nombre)
    if len(words) >= 3:
        return "".join(w[0] for w in words[:3])
    if len(words) == 2:
        return (words[0][0] + words[1][:2]).ljust(3, "X")
    return (words[0][:3] if words else "").ljust(3, "X")


def letras_fisica(nombre: str, paterno: str, materno: str) -> str:
    """The four letters of a persona física's RFC: the first letter and first inner vowel of the
    first surname, the initial of the second, the initial of the name (of the second name when
    the first is José or María); an inconvenient word ends in X.

    >>> letras_fisica("MARÍA GUADALUPE", "PEÑA", "NÚÑEZ")
    'PENG'
    >>> letras_fisica("ÓSCAR", "CULEBRO", "LÓPEZ")  # not CULO
    'CULX'
    """
    paterno, materno = _letras(paterno)[0], (_letras(materno) or ["X"])[0]
    nombres = _letras(nombre)
    if len(nombres) > 1 and nombres[0] in ("JOSE", "MARIA", "MA", "J"):
        nombres = nombres[1:]
    vocal = next((ch for ch in paterno[1:] if ch in "AEIOU"), "X")
    letras = paterno[0] + vocal + materno[0] + nombres[0][0]
    return letras[:3] + "X" if letras in _INCONVENIENTES else letras


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower().translate(_SIN_ACENTO_MIN))


_SIN_ACENTO_MIN = str.maketrans("áéíóúüñ", "aeiouun")


class Contratista(NamedTuple):
    rfc: str
    razon_social: str
    folio: str
    fecha_registro: date
    correo: str
    domicilio: str


def _azar(semilla: int, ciclo: Ciclo) -> tuple[random.Random, np.random.RandomState]:
    """The demo's two sources of randomness, both from the seed and the cycle: numpy's
    RandomState draws the padrón's columns at once (its streams are frozen across numpy
    versions, NEP 19); random.Random makes the few single choices."""
    clave = f"repse-demo/{semilla}/{ciclo}".encode()
    semillas = np.frombuffer(hashlib.sha256(clave).digest(), dtype="<u4")
    return random.Random(clave), np.random.RandomState(semillas)


def _contratistas(rs: np.random.RandomState, n: int, d0: date, usados: set[str],
                  nandu: int | None = None) -> list[Contratista]:
    """``n`` realistic contractors whose RFCs (without check digit) are not in ``usados``
    (which gets them). Each column is drawn at once; only the text is built row by row."""
    def indices(opciones: Sequence[object]) -> list[int]:
        return rs.randint(0, len(opciones), n).tolist()

    fisica = (rs.random_sample(n) < PROPORCION_FISICAS).tolist()
    giro = indices(GIROS)
    patron = np.searchsorted([0.45, 0.75, 0.9], rs.random_sample(n), side="right").tolist()
    lugar, ap1, ap2, nombre = indices(LUGARES), indices(APELLIDOS), indices(APELLIDOS), \
        indices(NOMBRES)
    pesos = np.array([w for _, w in FORMAS], dtype=float)
    forma = rs.choice(len(FORMAS), n, p=pesos / pesos.sum()).tolist()
    # Morales: constituted 4 to 35 years before D0; físicas: born 25 to 70 years before.
    fecha_rfc = np.where(fisica, rs.randint(25 * 365, 70 * 365, n),
                         rs.randint(4 * 365, 35 * 365, n)).tolist()
    homoclave = rs.randint(0, len(_HOMOCLAVE), (n, 2)).tolist()
    # Registered (or renewed) within the three years before D0, but none whose term ends before
    # the cycle does (about D0 + 60 days, with the daily updates): the demo has no renewals, and
    # an expired registration would end its procedure. Many still enter the renewal window.
    registro = rs.randint(1, 3 * 365 - 75, n).tolist()
    folio = (rs.choice(990_000, n, replace=False) + 10_000).tolist()
    con_correo = (rs.random_sample(n) < 0.85).tolist()
    buzon, tld, personal = indices(BUZONES), indices(_TLD), indices(CORREOS_PERSONALES)
    numero_correo = rs.randint(1, 100, n).tolist()
    con_domicilio = (rs.random_sample(n) < 0.9).tolist()
    tipo_calle, calle, colonia, ciudad = indices(TIPOS_CALLE), indices(CALLES), \
        indices(COLONIAS), indices(CIUDADES)
    numero, cp = rs.randint(1, 5000, n).tolist(), rs.randint(0, 1000, n).tolist()

    base = d0.toordinal()
    cuerpos, filas = [], []
    for i in range(n):
        if i == nandu:
            razon, letras, correo = NANDU, letras_moral(NANDU), "contacto@nandu.com.mx"
        elif fisica[i]:
            nombres, paterno, materno = NOMBRES[nombre[i]], APELLIDOS[ap1[i]], APELLIDOS[ap2[i]]
            razon = f"{nombres} {paterno} {materno}"
            letras = letras_fisica(nombres, paterno, materno)
            correo = (f"{_slug(nombres.split()[0])}.{_slug(paterno)}{numero_correo[i]}"
                      f"@{CORREOS_PERSONALES[personal[i]]}")
        else:
            nucleo = _nucleo(giro[i], patron[i], lugar[i], ap1[i], ap2[i])
            razon = f"{nucleo}, {FORMAS[forma[i]][0]}"
            letras = _iniciales(nucleo)  # letras_moral without splitting the legal form off
            correo = f"{BUZONES[buzon[i]]}@{_dominio(nucleo)}{_TLD[tld[i]]}"
        cuerpo = letras + _yymmdd(base - fecha_rfc[i]) + _HOMOCLAVE[homoclave[i][0]] \
            + _HOMOCLAVE[homoclave[i][1]]
        while cuerpo in usados:  # the same letters and date: another homoclave
            cuerpo = cuerpo[:-2] + "".join(_HOMOCLAVE[k] for k in rs.randint(0, 34, 2))
        usados.add(cuerpo)
        cuerpos.append(cuerpo)
        fecha = date.fromordinal(base - registro[i])
        domicilio = ""
        if con_domicilio[i]:
            municipio, estado, prefijo = CIUDADES[ciudad[i]]
            domicilio = (f"{TIPOS_CALLE[tipo_calle[i]]} {CALLES[calle[i]]} {numero[i]}, "
                         f"Col. {COLONIAS[colonia[i]]}, C.P. {prefijo:02d}{cp[i]:03d}, "
                         f"{municipio}, {estado}")
        filas.append((razon, f"AR{folio[i]}/{fecha.year}", fecha,
                      correo if con_correo[i] else "", domicilio))
    digitos = check_digits([c + "0" for c in cuerpos])
    return [Contratista(c + d, *f) for c, d, f in zip(cuerpos, digitos, filas, strict=True)]


_TLD = (".com.mx", ".mx", ".com")


def _nucleo(giro: int, patron: int, lugar: int, ap1: int, ap2: int) -> str:
    """A company name without its legal form, in one of four patterns."""
    if patron == 0:
        return f"{GIROS[giro]} {LUGARES[lugar]}"
    if patron == 1:
        return f"{GIROS[giro]} {APELLIDOS[ap1]}"
    if patron == 2:
        return f"{APELLIDOS[ap1]} Y ASOCIADOS"
    return f"{GIROS[giro]} {APELLIDOS[ap1]} {APELLIDOS[ap2]}"


@lru_cache(maxsize=1 << 16)
def _dominio(nucleo: str) -> str:
    dominio = _slug(nucleo.replace(" Y ", " "))
    return dominio if len(dominio) <= 20 else _slug(" ".join(nucleo.split()[-2:]))


@lru_cache(maxsize=1 << 15)
def _yymmdd(ordinal: int) -> str:
    return f"{date.fromordinal(ordinal):%y%m%d}"


def _padron(rs: np.random.RandomState, n: int, d0: date) -> list[Contratista]:
    """The padrón: ``n`` contractors, one of them ÑANDÚ CONSTRUCCIONES."""
    return _contratistas(rs, n, d0, set(), nandu=int(rs.randint(0, n)))


# --- files --------------------------------------------------------------------------------------

class ArchivoDemo(msgspec.Struct, frozen=True):
    """One generated file and how to load it."""

    nombre: str
    tipo: str  # padron | opiniones | exhorto | inicio_cancelacion | cancelacion | …
    paso: str  # the step of the cycle, in Spanish
    at: datetime  # when the step nominally happens (the --at of its import)
    actor: str
    filas: int  # data rows written
    rechazadas: tuple[int, ...] = ()  # rows the importer must refuse, by design
    con_aviso: tuple[int, ...] = ()  # rows it must accept with a warning
    ronda: Ronda | None = None
    completo: bool = False
    motivo: str | None = None
    formato: str = ""  # encoding, separator, sheet — what makes this file differ

    def comando(self, ciclo: str, base: str = BASE_DATOS) -> str:
        """The ``repse importar`` line that loads this file."""
        partes = ["repse importar", self.tipo, base, self.nombre, "--ciclo", ciclo]
        if self.ronda is not None:
            partes += ["--ronda", str(self.ronda)]
        if self.completo:
            partes.append("--completo")
        partes += ["--at", self.at.isoformat(), "--actor", self.actor]
        if self.motivo:
            partes += ["--motivo", f'"{self.motivo}"']
        return " ".join(partes)


class ResumenDemo(msgspec.Struct, frozen=True):
    ciclo: str
    semilla: int
    contratistas: int
    destino: str
    archivos: tuple[ArchivoDemo, ...]
    negativas_ronda1: int
    sin_opinion_ronda1: int
    ronda2: int
    ronda3: int
    cancelados: int
    impedidos: int

    @property
    def ronda1(self) -> int:
        return self.negativas_ronda1 + self.sin_opinion_ronda1

    def texto(self) -> str:
        """The Spanish summary ``repse demo-datos`` prints."""
        return (
            f"Datos de demostración del ciclo {self.ciclo} en {self.destino}: "
            f"{self.contratistas:,} contratistas; ronda 1: {self.ronda1:,} señalados "
            f"({self.negativas_ronda1:,} negativa, {self.sin_opinion_ronda1:,} sin opinión); "
            f"ronda 2: {self.ronda2:,}; ronda 3: {self.ronda3:,}; cancelaciones: "
            f"{self.cancelados:,}; impedidas: {self.impedidos:,}. "
            f"{len(self.archivos)} archivos; instrucciones en LEEME.txt."
        )


class _Tabla:
    """Rows of one file being built, with the row number each will have in the file."""

    def __init__(self, encabezado: list[str]) -> None:
        self.encabezado = encabezado
        self.lineas: list[list[str]] = []
        self.blancos: list[int] = []  # indices in ``lineas`` of blank lines
        self.rechazadas: list[int] = []
        self.con_aviso: list[int] = []

    def fila(self, celdas: list[str], *, rechazada: bool = False, aviso: bool = False) -> int:
        self.lineas.append(celdas)
        numero = len(self.lineas) + 1  # line 1 is the header
        if rechazada:
            self.rechazadas.append(numero)
        if aviso:
            self.con_aviso.append(numero)
        return numero

    def blanco(self) -> None:
        self.blancos.append(len(self.lineas))
        self.lineas.append([])

    @property
    def filas(self) -> int:
        return len(self.lineas) - len(self.blancos)

    def csv(self, sep: str = ",") -> str:
        out = io.StringIO()
        # csv writes an empty row as an empty line: the blank lines need nothing else.
        writer = csv.writer(out, delimiter=sep, lineterminator="\r\n")
        writer.writerow(self.encabezado)
        writer.writerows(self.lineas)
        return out.getvalue()

    def xlsx(self, hoja: str) -> bytes:
        return xlsx_bytes(hoja, self.encabezado, self.lineas)


def _mal_formado(rfc: str) -> str:
    """A typing mistake that breaks the shape: the letter O for the zero or the first digit."""
    i = next(i for i, ch in enumerate(rfc) if ch.isdigit())
    return rfc[:i] + "O" + rfc[i + 1:]


def _digito_equivocado(rfc: str) -> str:
    return rfc[:-1] + ("1" if rfc[-1] != "1" else "2")


def generar_demo(contratistas: int, semilla: int, destino: Path,
                 ciclo: Ciclo | None = None) -> ResumenDemo:
    """Write the demo files of ``ciclo`` (default 2026-1) for ``contratistas`` contractors into
    ``destino`` (created if needed) and return what was written."""
    if contratistas < MINIMO_CONTRATISTAS:
        raise DemoError(f"se necesitan al menos {MINIMO_CONTRATISTAS} contratistas para que cada "
                        f"paso del ciclo tenga a alguien (se pidieron {contratistas})")
    ciclo = ciclo or Ciclo(2026, 1)
    cals = calendarios()
    plan = plan_ciclo(ciclo, cals)
    rng, rs = _azar(semilla, ciclo)
    destino = Path(destino)
    destino.mkdir(parents=True, exist_ok=True)
    d0 = plan.fecha_consulta

    padron = _padron(rs, contratistas, d0)
    por_rfc = {c.rfc: c for c in padron}
    nandu = next(c for c in padron if c.razon_social == NANDU)

    # Who is listed at each round. ÑANDÚ is listed at rounds 1 and 2, so that its Ñ travels
    # through the Latin-1 file and the XLSX.
    otros = [c.rfc for c in padron if c is not nandu]
    n1 = round(contratistas * PROPORCION_RONDA1)
    ronda1 = [nandu.rfc, *rng.sample(otros, n1 - 1)]
    negativas = set(rng.sample(ronda1, round(n1 * PROPORCION_NEGATIVA)))
    opinion = {rfc: "negativa" if rfc in negativas else "sin_opinion" for rfc in ronda1}
    ronda2 = [nandu.rfc, *rng.sample(ronda1[1:], round(n1 * SIGUEN_RONDA2) - 1)]
    ronda3 = rng.sample([r for r in ronda2 if r != nandu.rfc], round(len(ronda2) * SIGUEN_RONDA3))
    impedidas = sorted(rng.sample(ronda3, max(1, round(len(ronda3) * IMPEDIDAS))))
    canceladas = sorted(set(ronda3) - set(impedidas))
    # A contractor not listed anywhere carries an RFC whose check digit fails (accepted, warned).
    listados = set(ronda1)
    aviso_rfc = next(c.rfc for c in padron if c.rfc not in listados)

    archivos = [
        _escribir_padron(rng, rs, destino, padron, aviso_rfc, plan),
        _escribir_opiniones_ronda1(rng, destino, [por_rfc[r] for r in ronda1], opinion, plan),
        _escribir_acto(destino, "exhorto", "Exhorto notificado (IMSS y STPS)",
                       [por_rfc[r] for r in ronda1], _at(plan.exhorto, 12), repetida=True),
        _escribir_opiniones_ronda2(destino, [por_rfc[r] for r in ronda2], opinion, plan),
        _escribir_acto(destino, "inicio_cancelacion",
                       "Inicio del procedimiento de cancelación (STPS)",
                       [por_rfc[r] for r in ronda2], _at(plan.inicio_cancelacion, 13),
                       sep=";", bom=True),
        _escribir_opiniones_ronda3(rng, destino, [por_rfc[r] for r in ronda3], opinion, plan),
        _escribir_acto(destino, "cancelacion", "Cancelación de los registros (STPS)",
                       [por_rfc[r] for r in canceladas], _at(plan.tercera_consulta, 15)),
        _escribir_acto(destino, "cancelacion_impedida", "Cancelación impedida (STPS)",
                       [por_rfc[r] for r in impedidas], _at(plan.tercera_consulta, 16),
                       motivo=MOTIVO_IMPEDIDA),
    ]
    dia = plan.tercera_consulta
    conjunto = cals.conjunto()
    for k in range(1, DIAS_DIARIOS + 1):
        dia = next_habil_day(dia, conjunto)
        siguen = impedidas[: len(impedidas) - (k - 1) * (len(impedidas) // DIAS_DIARIOS)]
        archivos.append(_escribir_diaria(destino, k, [por_rfc[r] for r in siguen], opinion,
                                         _at(dia, 11)))

    resumen = ResumenDemo(
        ciclo=str(ciclo), semilla=semilla, contratistas=contratistas, destino=str(destino),
        archivos=tuple(archivos), negativas_ronda1=len(negativas),
        sin_opinion_ronda1=n1 - len(negativas), ronda2=len(ronda2), ronda3=len(ronda3),
        cancelados=len(canceladas), impedidos=len(impedidas))
    (destino / "LEEME.txt").write_text(_leeme(resumen, plan), encoding="utf-8", newline="\n")
    return resumen


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), MX)


def _escribir_padron(rng: random.Random, rs: np.random.RandomState, destino: Path,
                     padron: list[Contratista], aviso_rfc: str, plan: PlanCiclo) -> ArchivoDemo:
    """padron.csv: UTF-8 without BOM, commas, CRLF; a few dates as DD/MM/AAAA, trailing spaces,
    two blank lines, one RFC with a failed check digit and five rows that must be refused."""
    tabla = _Tabla(["RFC", "Razón social", "Folio", "Fecha de registro", "Correo", "Domicilio"])
    n = len(padron)
    # Where the refused rows and the blank lines go (before the contractor at that position).
    huecos = sorted(rng.sample(range(1, n), 5))
    blancos = set(rng.sample(range(1, n), 2))
    malas = dict(zip(huecos, _filas_malas(rng, rs, padron, huecos[-1], aviso_rfc, plan),
                     strict=True))
    dma = (rs.random_sample(n) < 0.03).tolist()
    espacios = (rs.random_sample(n) < 0.02).tolist()
    for i, c in enumerate(padron):
        if i in blancos:
            tabla.blanco()
        if i in malas:
            tabla.fila(malas[i], rechazada=True)
        fecha = f"{c.fecha_registro:%d/%m/%Y}" if dma[i] else c.fecha_registro.isoformat()
        rfc, razon = c.rfc, c.razon_social
        if espacios[i]:
            rfc, razon = rfc + "  ", razon + " "
        if c.rfc == aviso_rfc:
            tabla.fila([_digito_equivocado(rfc), razon, c.folio, fecha, c.correo, c.domicilio],
                       aviso=True)
        else:
            tabla.fila([rfc, razon, c.folio, fecha, c.correo, c.domicilio])
    (destino / "padron.csv").write_text(tabla.csv(), encoding="utf-8", newline="")
    return ArchivoDemo(
        "padron.csv", "padron", "Entrega del padrón REPSE vigente (STPS)",
        _at(plan.fecha_consulta, 9), "stps", tabla.filas, tuple(tabla.rechazadas),
        tuple(tabla.con_aviso), formato="UTF-8 sin BOM, separador coma")


def _filas_malas(rng: random.Random, rs: np.random.RandomState, padron: list[Contratista],
                 antes_de: int, aviso_rfc: str, plan: PlanCiclo) -> list[list[str]]:
    """Five extra padrón rows the importer must refuse, in the order they appear; the last one
    repeats the RFC of a contractor written before position ``antes_de``."""
    usados = {c.rfc[:-1] for c in padron}
    nuevas = [[c.rfc, c.razon_social, c.folio, c.fecha_registro.isoformat(), c.correo,
               c.domicilio] for c in _contratistas(rs, 4, plan.fecha_consulta, usados)]
    mal_formado, generico, fecha_imposible, sin_razon = nuevas
    mal_formado[0] = _mal_formado(mal_formado[0])
    generico[0], generico[1] = sorted(GENERICOS)[0], "PÚBLICO EN GENERAL"
    fecha_imposible[3] = f"31/02/{plan.fecha_consulta.year - 1}"
    sin_razon[1] = ""
    # The repeated RFC repeats a contractor written before it, with another folio (not the one
    # whose RFC is written with a wrong check digit: that would be another RFC).
    original = rng.choice([c for c in padron[:antes_de] if c.rfc != aviso_rfc])
    repetida = [original.rfc, original.razon_social, f"AR{rng.randint(10_000, 999_999)}/"
                f"{original.fecha_registro.year}", original.fecha_registro.isoformat(),
                original.correo, original.domicilio]
    rng.shuffle(nuevas)
    return [*nuevas, repetida]  # the repeated one is last: after its original


_NEGATIVA = ("Negativa", "Negativa", "Negativa", "NEGATIVA", "negativa ")
_SIN_OPINION = ("Sin opinión", "Sin opinión", "Sin opinión", "SIN OPINIÓN", "Sin opinion")


def _por_opinion(filas: list[Contratista], opinion: dict[str, str]) -> list[Contratista]:
    """IMSS lists Negativa and Sin opinión apart: Negativa first, each part by RFC."""
    return sorted(filas, key=lambda c: (opinion[c.rfc] != "negativa", c.rfc))


def _escribir_opiniones_ronda1(rng: random.Random, destino: Path, filas: list[Contratista],
                               opinion: dict[str, str], plan: PlanCiclo) -> ArchivoDemo:
    """opiniones_ronda1.csv: Latin-1 with semicolons (as Excel saves "CSV" in Spanish Windows)
    and spellings of the opinion that vary. No row is refused: it is a complete list, and a
    complete list with refused rows is refused whole."""
    tabla = _Tabla(["RFC", "Razón social", "Opinión"])
    for c in _por_opinion(filas, opinion):
        valor = rng.choice(_NEGATIVA if opinion[c.rfc] == "negativa" else _SIN_OPINION)
        tabla.fila([c.rfc, c.razon_social, valor])
    (destino / "opiniones_ronda1.csv").write_bytes(tabla.csv(";").encode("latin-1"))
    return ArchivoDemo(
        "opiniones_ronda1.csv", "opiniones",
        "Opinión de cumplimiento, ronda 1: listados Negativa y Sin opinión (IMSS)",
        _at(plan.fecha_consulta, 17), "imss", tabla.filas, tuple(tabla.rechazadas),
        ronda=1, completo=True, formato="Latin-1, separador punto y coma")


def _escribir_opiniones_ronda2(destino: Path, filas: list[Contratista], opinion: dict[str, str],
                               plan: PlanCiclo) -> ArchivoDemo:
    """opiniones_ronda2.xlsx: an XLSX whose opinion column is headed «Resultado» (a complete
    list: no refused row)."""
    tabla = _Tabla(["RFC", "Razón social", "Resultado"])
    for c in _por_opinion(filas, opinion):
        tabla.fila([c.rfc, c.razon_social,
                    "Negativa" if opinion[c.rfc] == "negativa" else "Sin opinión"])
    at = _at(plan.segunda_consulta, 11)
    (destino / "opiniones_ronda2.xlsx").write_bytes(tabla.xlsx("Ronda 2"))
    return ArchivoDemo(
        "opiniones_ronda2.xlsx", "opiniones",
        "Segunda consulta (D2): listados Negativa y Sin opinión (IMSS)", at, "imss",
        tabla.filas, tuple(tabla.rechazadas), ronda=2, completo=True,
        formato="XLSX, hoja «Ronda 2»")


def _escribir_opiniones_ronda3(rng: random.Random, destino: Path, filas: list[Contratista],
                               opinion: dict[str, str], plan: PlanCiclo) -> ArchivoDemo:
    """opiniones_ronda3.csv: UTF-8 with BOM, headers as a database exports them
    (``rfc,razon_social,opinion``), a blank line and a lower-case RFC with spaces."""
    tabla = _Tabla(["rfc", "razon_social", "opinion"])
    ordenadas = _por_opinion(filas, opinion)
    blanco = rng.randrange(len(ordenadas))
    for i, c in enumerate(ordenadas):
        if i == blanco:
            tabla.blanco()
        rfc = f" {c.rfc.lower()} " if i == 0 else c.rfc
        tabla.fila([rfc, c.razon_social, opinion[c.rfc]])
    (destino / "opiniones_ronda3.csv").write_text(tabla.csv(), encoding="utf-8-sig", newline="")
    return ArchivoDemo(
        "opiniones_ronda3.csv", "opiniones",
        "Tercera consulta (D3): listado de registros a cancelar (IMSS, oficio)",
        _at(plan.tercera_consulta, 11), "imss", tabla.filas, ronda=3, completo=True,
        formato="UTF-8 con BOM, separador coma")


def _escribir_diaria(destino: Path, k: int, filas: list[Contratista], opinion: dict[str, str],
                     at: datetime) -> ArchivoDemo:
    tabla = _Tabla(["RFC", "Razón social", "Opinión"])
    for c in _por_opinion(filas, opinion):
        tabla.fila([c.rfc, c.razon_social,
                    "Negativa" if opinion[c.rfc] == "negativa" else "Sin opinión"])
    nombre = f"opiniones_diaria_{k}.csv"
    (destino / nombre).write_text(tabla.csv(), encoding="utf-8", newline="")
    return ArchivoDemo(
        nombre, "opiniones", f"Opinión actualizada del día hábil {k} tras la cancelación "
        "impedida (IMSS)", at, "imss", tabla.filas, ronda="diaria", completo=True,
        formato="UTF-8 sin BOM, separador coma")


def _escribir_acto(destino: Path, tipo: str, paso: str, filas: list[Contratista], at: datetime,
                   *, sep: str = ",", bom: bool = False, repetida: bool = False,
                   motivo: str | None = None) -> ArchivoDemo:
    """The RFC list of an act (with the razón social, which the importer ignores)."""
    tabla = _Tabla(["RFC", "Razón social"])
    ordenadas = sorted(filas, key=lambda c: c.rfc)
    for i, c in enumerate(ordenadas):
        tabla.fila([c.rfc, c.razon_social])
        if repetida and i == len(ordenadas) // 2:
            tabla.fila([c.rfc, c.razon_social], rechazada=True)
    nombre = f"{tipo}.csv"
    (destino / nombre).write_text(tabla.csv(sep), encoding="utf-8-sig" if bom else "utf-8",
                                  newline="")
    (actor,) = ACTORES[tipo]
    formato = (f"UTF-8 {'con' if bom else 'sin'} BOM, separador "
               f"{'punto y coma' if sep == ';' else 'coma'}")
    return ArchivoDemo(nombre, tipo, paso, at, actor, tabla.filas, tuple(tabla.rechazadas),
                       motivo=motivo, formato=formato)


# --- LEEME.txt ----------------------------------------------------------------------------------

_MOTIVOS = {
    "padron.csv": "un RFC mal formado, el RFC genérico XAXX010101000, una fecha que no existe, "
                  "una fila sin razón social y un RFC repetido",
    "exhorto.csv": "un RFC repetido",
}




def _cuando(at: datetime) -> str:
    return f"{fecha_corta(at.date())} {at:%H:%M}"


def _filas(n: int) -> str:
    return f"{n:,} fila" if n == 1 else f"{n:,} filas"


def _parrafo(text: str, sangria: str = "") -> list[str]:
    return textwrap.wrap(text, width=92, initial_indent=sangria, subsequent_indent=sangria)


def _leeme(resumen: ResumenDemo, plan: PlanCiclo) -> str:
    lines = [f"Datos de demostración de repse — ciclo {resumen.ciclo}", "=" * 60, ""]
    for parrafo in (
        f"Generados con «repse demo-datos --contratistas {resumen.contratistas} --semilla "
        f"{resumen.semilla}»: los mismos parámetros producen exactamente los mismos archivos. "
        "Los datos son ficticios: nombres, RFC, folios y domicilios no corresponden a personas "
        "ni empresas reales.",
        f"Padrón: {resumen.contratistas:,} contratistas (personas morales con RFC de 12 "
        "caracteres y algunas personas físicas con 13), registrados o renovados en los tres "
        "años anteriores a la fecha de consulta, así que algunos están por renovar. "
        f"Ronda 1: {resumen.ronda1:,} señalados ({resumen.negativas_ronda1:,} negativa, "
        f"{resumen.sin_opinion_ronda1:,} sin opinión). Ronda 2: {resumen.ronda2:,}. "
        f"Ronda 3: {resumen.ronda3:,}. Cancelaciones: {resumen.cancelados:,}; impedidas: "
        f"{resumen.impedidos:,}.",
        "El IMSS solo entrega los listados Negativa y Sin opinión (primero los Negativa, luego "
        "los Sin opinión) y los marca como completos (--completo): quien esperaba esa ronda y "
        "no aparece en el listado tiene opinión positiva y queda regularizado.",
        "Los archivos vienen en formatos distintos, como llegan en la práctica, y algunas filas "
        "tienen errores a propósito: la importación debe rechazarlas (o aceptarlas con aviso) "
        "diciendo archivo, fila y motivo.",
        f"Pasos del ciclo en orden, con su fecha nominal («repse plan --ciclo {resumen.ciclo}»; "
        "horas de la Ciudad de México). Ejecute los comandos desde esta carpeta; "
        f"«{BASE_DATOS}» es la base de datos del ejercicio.",
    ):
        lines += [*_parrafo(parrafo), ""]
    lines += [" 0. Antes de empezar, cree el almacén de simulación del ejercicio:",
              f"    repse init {BASE_DATOS} --simulacion", ""]
    for n, a in enumerate(resumen.archivos, start=1):
        lines.append(f"{n:>2}. {_cuando(a.at)}  {a.paso}")
        lines += _parrafo(f"Archivo: {a.nombre} ({_filas(a.filas)}; {a.formato}).", "    ")
        if a.rechazadas:
            filas = ", ".join(str(f) for f in a.rechazadas)
            lines += _parrafo(f"Filas que deben rechazarse ({filas}): {_MOTIVOS[a.nombre]}.",
                              "    ")
        if a.con_aviso:
            filas = ", ".join(str(f) for f in a.con_aviso)
            lines += _parrafo(f"Filas que se aceptan con aviso ({filas}): dígito verificador "
                              "del RFC que no coincide.", "    ")
        lines.append(f"    {a.comando(resumen.ciclo)}")
        lines.append("")
    lines += [
        "Fechas del plan nominal:",
        f"  Fecha de consulta (D0): {fecha_corta(plan.fecha_consulta)}",
        f"  Límite del exhorto: {fecha_corta(plan.limite_exhorto.date())}",
        f"  Fin del plazo de regularización: {fecha_corta(plan.fin_plazo_regularizacion)}",
        f"  Segunda consulta (D2): {fecha_corta(plan.segunda_consulta)}",
        f"  Fin del plazo para manifestar: {fecha_corta(plan.fin_plazo_audiencia)}",
        f"  Tercera consulta (D3): {fecha_corta(plan.tercera_consulta)}",
    ]
    if plan.avisos:
        lines += ["", "Avisos del plan:"]
        for aviso in plan.avisos:
            lines += textwrap.wrap(aviso, width=92, initial_indent="  - ",
                                   subsequent_indent="    ")
    return "\n".join(lines) + "\n"
