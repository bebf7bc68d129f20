"""Runs Alembic commands in one long-lived process: the harness's fast path.

Starting the `alembic` program costs about half a second (importing SQLAlchemy); running the
command in this process costs a few milliseconds. It reads one JSON request a line,
{"cwd": DIR, "argv": [...]} with argv as given to the `alembic` program, and answers one JSON line
{"status": N, "output": TEXT, "stdout": TEXT} with the exit status the program would have had
(0, 255 for Alembic's own errors, 1 for an uncaught exception), what it would have printed, and
the part of that it would have printed on standard output.

Run it with the interpreter of the `alembic` program (its #! line), which may not be `python3`.
"""

import contextlib
import io
import json
import os
import sys
import traceback
import warnings

sys.dont_write_bytecode = True  # revision files are rewritten per seed: never trust a .pyc

from alembic.config import CommandLine, Config  # noqa: E402
from alembic.script.base import Script  # noqa: E402

# Alembic loads revision files in the order the file system lists the folder, which decides
# which of two independent branches it walks first; retort sorts the file names. Sorting here
# too makes that tie-break the same, so the harness can compare the order of every plan.
_list_py_dir = Script._list_py_dir.__func__
Script._list_py_dir = classmethod(
    lambda cls, scriptdir, path: sorted(_list_py_dir(cls, scriptdir, path)))


def run(cwd, argv):
    os.chdir(cwd)
    out, err = io.StringIO(), io.StringIO()
    status = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            command_line = CommandLine(prog="alembic")
            options = command_line.parser.parse_args(argv)
            # Config binds sys.stdout when alembic is imported: hand it our buffer explicitly
            config = Config(file_=options.config, ini_section=options.name, cmd_opts=options,
                            stdout=out)
            command_line.run_cmd(config, options)
        except SystemExit as e:  # util.err() after a CommandError exits with -1
            status = (e.code if isinstance(e.code, int) else 1) % 256
        except Exception:
            traceback.print_exc(file=err)
            status = 1
    text = out.getvalue() + err.getvalue() + "".join("warning: %s\n" % w.message for w in caught)
    return {"status": status, "output": text, "stdout": out.getvalue()}


def main():
    responses = sys.stdout
    for line in sys.stdin:
        request = json.loads(line)
        responses.write(json.dumps(run(request["cwd"], request["argv"])) + "\n")
        responses.flush()


if __name__ == "__main__":
    main()
