"""Who acts when nobody is logged in.

`COMMAND_LINE` is the person running `manage.py` on the server: they already hold the database and the
keys, so a command acts for the department as a whole. It is not a user account (`is_authenticated` is
False, so checks scoped to a user's regions or shops do not apply to it), and the audit log records it
as "sistem". Services that refuse anonymous callers accept it explicitly where a command needs them
(e.g. the bulk product upload drafting products into the shop named with `--toko`).
"""


class CommandLine:
    is_authenticated = False
    is_anonymous = False

    def has_role(self, *roles: str) -> bool:
        return False

    def __str__(self) -> str:
        return "sistem"

    def __repr__(self) -> str:
        return "COMMAND_LINE"


COMMAND_LINE = CommandLine()
