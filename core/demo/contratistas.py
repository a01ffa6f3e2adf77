"""The contractors of a demo padrón: Mexican company and person names, RFCs built from them with
valid check digits, folios, registration dates, e-mails and addresses.

Personas morales get 12-character RFCs and personas físicas 13, from the name and a date (the
SAT's rules, simplified); registrations are spread over the three years before D0, so some are
near their renewal. Every column is drawn at once from numpy's RandomState; only the text is
built row by row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from ..rfc import check_digits

PROPORCION_FISICAS = 0.08
FOLIOS = 990_000  # folio numbers to draw from (AR10000 … AR999999), more for a larger padrón
NANDU = "ÑANDÚ CONSTRUCCIONES, S.A. DE C.V."  # Ñ and accents must survive every file

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

def generar_contratistas(rs: np.random.RandomState, n: int, d0: date, usados: set[str],
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
    # Folios are distinct: drawn without replacement from at least FOLIOS numbers, or from as
    # many as there are contractors in a larger padrón.
    folio = (rs.choice(max(FOLIOS, n), n, replace=False) + 10_000).tolist()
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


def generar_padron(rs: np.random.RandomState, n: int, d0: date) -> list[Contratista]:
    """The padrón: ``n`` contractors, one of them ÑANDÚ CONSTRUCCIONES."""
    return generar_contratistas(rs, n, d0, set(), nandu=int(rs.randint(0, n)))

