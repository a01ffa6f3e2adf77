"""Ayuda (F1): every key in force on the screen it was opened from and in the whole app (read
from the bindings themselves, so a key added anywhere appears here), the cycle in a few lines,
and the meaning of every state, opinion and obligation. It scrolls: arrows, Av Pág, Fin, the
mouse wheel."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Markdown

from ...core.etiquetas import ESTADO_OBLIGACION, OBLIGACION, RESPONSABLE
from ...core.lifecycle import Expediente, Registro

CICLO = """\
# El ciclo REPSE en la terminal

Primero las teclas de la pantalla «{pantalla}» y las de toda la aplicación; después el ciclo, los
estados y las obligaciones. ↑ ↓, Av Pág, Re Pág, Inicio y Fin desplazan esta ayuda; Esc la cierra.

## Teclas de esta pantalla

{propias}

## Teclas de toda la aplicación

{generales}
- `Tab` / `Mayús+Tab` — pasar al campo o panel siguiente / anterior
- `Ctrl+S` / `Esc` — en un diálogo: aceptar / cancelar

Las acciones (importar, registrar un acto, exportar) piden confirmación y muestran los rechazos
con su motivo. Un acto se aplica al contratista seleccionado, a todos los filtrados o a los RFC
que se escriban. `Ctrl+P` busca cualquier acción por su nombre.

## El ciclo

Cada semestre (ciclo `AAAA-1` en enero, `AAAA-2` en julio) el grupo de trabajo IMSS–STPS:

1. **D0** (último lunes de enero o julio): la STPS entrega el **padrón** a las 10:00; el IMSS
   emite la **opinión** de la ronda 1 y deposita los listados Negativa y Sin opinión a las 18:00.
2. El GT envía el **exhorto** dentro de 3 días hábiles: corren **30 días naturales** para
   regularizarse.
3. **D2**, día hábil siguiente al fin del plazo: segunda consulta; quien sigue negativo pasa a
   cancelación y la STPS inicia el procedimiento: **5 días hábiles** para manifestar.
4. **D3**: tercera consulta y oficio del IMSS; la STPS **cancela** el mismo día, o informa que no
   puede (cancelación impedida) y el IMSS envía opiniones **diarias**.

Los plazos los vence el **reloj**: avanzarlo dispara cada plazo que terminó. En un almacén de
**operación** el reloj no puede pasar del presente: el ensayo «qué pasaría» corre en una **copia
de simulación**, marcada en la línea superior. El demo es un almacén de simulación. Con varios
ciclos en el almacén, `y` elige cuál muestran el tablero, la agenda y el padrón.

## Estados del expediente

{estados}

## Estados del registro

{registro}

## Obligaciones de la agenda

{obligaciones}

Cada obligación está **{pendiente}** hasta su hora límite, **{cumplida}** si se cumplió a tiempo,
**{extemporanea}** si se cumplió después y **{vencida}** si pasó su hora sin cumplirse.
"""

# What each obligation of the agenda is (the cycle's plan, spec book § 7).
SIGNIFICADO = {
    "padron": "la STPS entrega el padrón del ciclo (D0, 10:00).",
    "listado_inicial": "el IMSS deposita los listados Negativa y Sin opinión de la ronda 1 "
                       "(D0, 18:00).",
    "exhorto": "el GT notifica el exhorto a los señalados (3 días hábiles).",
    "listado_segunda": "el IMSS entrega la segunda consulta (D2).",
    "listado_tercera": "el IMSS entrega la tercera consulta y su oficio (D3).",
    "cancelacion": "la STPS cancela el registro o informa que no puede (mismo día de D3).",
    "actualizacion_diaria": "el IMSS envía la opinión diaria de las cancelaciones impedidas.",
}
RESPONSABLE_DE = {"padron": "stps", "listado_inicial": "imss", "exhorto": "gt",
                  "listado_segunda": "imss", "listado_tercera": "imss", "cancelacion": "stps",
                  "actualizacion_diaria": "imss"}
NOMBRES = {"escape": "Esc", "enter": "Enter", "slash": "/", "backspace": "Retroceso",
           "pagedown": "Av Pág", "pageup": "Re Pág", "home": "Inicio", "end": "Fin",
           "up": "↑", "down": "↓", "left": "←", "right": "→", "tab": "Tab", "space": "Espacio"}


def tecla(key: str) -> str:
    """A key as the help and the palette write it: ``F1``, ``Ctrl+Q``, ``/``, ``Esc``."""
    if key in NOMBRES:
        return NOMBRES[key]
    if key.startswith("ctrl+"):
        return "Ctrl+" + tecla(key[5:]).upper()
    return key.upper() if len(key) > 1 else key


def teclas(screen: Screen, comandos: dict[str, str]) -> tuple[list[str], list[str]]:
    """The keys in force on ``screen`` (its focused widget, the screen, the app) as table
    rows: those of the screen and its widgets, then the app's. Textual's own widget keys
    (scrolling, editing) are left out: their descriptions are English, and the help says how
    to move in words."""
    filas: dict[tuple[bool, str], tuple[list[str], str]] = {}
    for key, (node, binding, _enabled, _tooltip) in screen.active_bindings.items():
        if binding.system or binding.action not in _acciones_propias(type(node)):
            continue
        general = node is screen.app
        descripcion = comandos.get(binding.action, binding.description) if general \
            else binding.description
        if not descripcion:
            continue
        keys, _ = filas.setdefault((general, str(binding.action)), ([], descripcion))
        keys.append(tecla(key))
    # Leaving goes last (Textual's own Ctrl+Q comes first among the app's bindings).
    orden = sorted(filas.items(), key=lambda f: f[0][1] in ("salir", "quit"))
    propias = [f"- {' / '.join(f'`{k}`' for k in ks)} — {d}"
               for (general, _), (ks, d) in orden if not general]
    generales = [f"- {' / '.join(f'`{k}`' for k in ks)} — {d}"
                 for (general, _), (ks, d) in orden if general]
    return propias or ["- ninguna propia: las de toda la aplicación"], generales


def _acciones_propias(clase: type) -> set[str]:
    """The actions bound in this package's classes (not in Textual's) of ``clase``."""
    return {str(b.action if isinstance(b, Binding) else b[1]) for c in clase.__mro__
            if c.__module__.startswith("repse.") for b in c.__dict__.get("BINDINGS", ())}


def texto_ayuda(screen: Screen, comandos: dict[str, str]) -> str:
    """The help page for ``screen``: its keys and the app's, the cycle, every state of the
    charts and every obligation of the agenda."""
    propias, generales = teclas(screen, comandos)
    estados = "\n".join(f"- **{s.name}** — {s.descripcion}" for s in Expediente.states)
    registro = "\n".join(f"- **{s.name}** — {s.descripcion}" for s in Registro.states)
    obligaciones = "\n".join(
        f"- **{OBLIGACION[c]}** ({RESPONSABLE[RESPONSABLE_DE[c]]}) — {s}"
        for c, s in SIGNIFICADO.items())
    return CICLO.format(pantalla=getattr(screen, "NOMBRE", "principal"),
                        propias="\n".join(propias), generales="\n".join(generales),
                        estados=estados, registro=registro, obligaciones=obligaciones,
                        **ESTADO_OBLIGACION)


class AyudaScreen(ModalScreen):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "cerrar", "Cerrar")]

    def __init__(self, texto: str) -> None:
        super().__init__()
        self.texto = texto

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="ayuda"):
            yield Markdown(self.texto)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        ayuda = self.query_one("#ayuda")
        ayuda.border_subtitle = "↑ ↓ Av Pág Re Pág Inicio Fin: desplazarse · Esc: cerrar"
        ayuda.focus()

    def action_cerrar(self) -> None:
        self.dismiss()
