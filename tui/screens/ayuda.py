"""Ayuda (F1): the cycle in a few lines, the states as the lifecycle charts describe them, and
every key."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown

from ...core.lifecycle import Expediente, Registro

CICLO = """\
# El ciclo REPSE en la terminal

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
de simulación**, marcada en la línea superior. El demo es un almacén de simulación.

## Teclas

| Tecla | Acción |
|---|---|
{teclas}
| `/` | buscar RFC o razón social (en Contratistas) |
| `Esc` | quitar filtros / volver / cerrar |
| `Enter` | abrir el detalle del contratista |
| `Ctrl+P` | paleta de comandos: todas las acciones |

Las acciones (importar, registrar un acto, exportar) piden confirmación y muestran los rechazos
con su motivo. Un acto se aplica al contratista seleccionado, a todos los filtrados o a los RFC
que se escriban.

## Estados del expediente

{estados}

## Estados del registro

{registro}
"""


def texto_ayuda(bindings, comandos: dict[str, str]) -> str:
    """The help page: the cycle, every key with what it does, and the charts' states."""
    teclas = "\n".join(f"| `{tecla(b.key)}` | {comandos.get(b.action, b.description)} |"
                       for b in bindings)
    estados = "\n".join(f"- **{s.name}** — {s.descripcion}" for s in Expediente.states)
    registro = "\n".join(f"- **{s.name}** — {s.descripcion}" for s in Registro.states)
    return CICLO.format(teclas=teclas, estados=estados, registro=registro)


def tecla(key: str) -> str:
    return key.upper() if len(key) > 1 else key


class AyudaScreen(ModalScreen):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "cerrar", "Cerrar")]

    def __init__(self, texto: str) -> None:
        super().__init__()
        self.texto = texto

    def compose(self) -> ComposeResult:
        with Vertical(id="ayuda"):
            yield Markdown(self.texto)
        yield Footer()

    def action_cerrar(self) -> None:
        self.dismiss()
