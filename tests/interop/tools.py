"""Running one command with each tool: `alembic -c alembic.ini ...`, `retort -c retort.toml ...`."""

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass

HERE = os.path.dirname(os.path.abspath(__file__))
COMMAND_TIMEOUT = 60
REBUILD_PATIENCE = 300  # seconds to wait for a retort binary that is being rebuilt


@dataclass
class ToolResult:
    status: int
    output: str  # stdout and stderr together
    stdout: str = ""

    @property
    def ok(self):
        return self.status == 0


class Retort:
    name = "retort"

    def __init__(self, binary):
        self.binary = os.path.abspath(binary)

    def run(self, project_dir, argv):
        command = [self.binary, "-c", "retort.toml", *argv]
        deadline = time.monotonic() + REBUILD_PATIENCE
        while True:
            try:
                done = subprocess.run(command, cwd=project_dir, capture_output=True, text=True,
                                      timeout=COMMAND_TIMEOUT)
                return ToolResult(done.returncode, done.stdout + done.stderr, done.stdout)
            except OSError:  # missing or half-written while another session rebuilds it
                if time.monotonic() > deadline:
                    raise
                time.sleep(2)

    def close(self):
        pass


def alembic_interpreter():
    """The Python that runs the `alembic` program (python3 on PATH may lack the module)."""
    program = _which("alembic")
    with open(program) as f:
        first = f.readline()
    return first[2:].strip().split()[0] if first.startswith("#!") else sys.executable


class AlembicSubprocess:
    """The `alembic` program itself: slow (about 0.5 s a command) but exactly the real thing."""

    name = "alembic"

    def run(self, project_dir, argv):
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        done = subprocess.run(["alembic", "-c", "alembic.ini", *argv], cwd=project_dir,
                              capture_output=True, text=True, timeout=COMMAND_TIMEOUT, env=env)
        return ToolResult(done.returncode, done.stdout + done.stderr, done.stdout)

    def close(self):
        pass


class AlembicWorker:
    """Alembic's command line run in a long-lived worker process (alembic_worker.py)."""

    name = "alembic"

    def __init__(self):
        self.process = None

    def run(self, project_dir, argv):
        if self.process is None or self.process.poll() is not None:
            self._start()
        request = {"cwd": project_dir, "argv": ["-c", "alembic.ini", *argv]}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:  # the worker died: report it as a failure and restart next time
            self.process = None
            return ToolResult(1, "alembic worker exited unexpectedly")
        answer = json.loads(line)
        return ToolResult(answer["status"], answer["output"], answer.get("stdout", ""))

    def _start(self):
        worker = os.path.join(HERE, "alembic_worker.py")
        self.process = subprocess.Popen([alembic_interpreter(), worker], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)

    def close(self):
        if self.process is not None:
            self.process.stdin.close()
            self.process.wait(timeout=10)
            self.process = None


def _which(program):
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        path = os.path.join(directory, program)
        if os.access(path, os.X_OK):
            return path
    raise SystemExit("%s not found on PATH" % program)
