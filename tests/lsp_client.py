"""A minimal LSP client for the editors' YAML language server (npm yaml-language-server), over stdio.

Used by tests/test_lsp.py to see the diagnostics, completions and hovers an editor sees.
"""

from __future__ import annotations

import json
import queue
import subprocess
import threading
from pathlib import Path

LSP_DIR = Path(__file__).resolve().parent / "lsp"
SERVER = LSP_DIR / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"


def install() -> None:
    """Install the pinned server (tests/lsp/package-lock.json) if it is not there yet."""
    if not SERVER.exists():
        subprocess.run(["npm", "ci", "--prefix", str(LSP_DIR), "--no-audit", "--no-fund", "--silent"], check=True, timeout=600)


class LanguageServer:
    def __init__(self, root: Path, locale: str = "zh-cn") -> None:
        self.proc = subprocess.Popen(["node", str(SERVER), "--stdio"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.messages: queue.Queue = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()
        self.request("initialize", {"processId": None, "rootUri": root.as_uri(), "locale": locale,
                                    "capabilities": {"textDocument": {"completion": {"completionItem": {
                                        "snippetSupport": True}}, "hover": {"contentFormat": ["markdown"]}},
                                        "workspace": {"configuration": True}}})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": self.settings()})

    @staticmethod
    def settings() -> dict:
        return {"yaml": {"validate": True, "hover": True, "completion": True, "schemaStore": {"enable": False},
                         "format": {"enable": False}}}

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.decode().strip()
                if not line:
                    break
                name, _, value = line.partition(":")
                headers[name.lower()] = value.strip()
            body = json.loads(out.read(int(headers["content-length"])))
            if "method" in body and "id" in body:  # a request from the server: answer it
                result = [self.settings()["yaml"]] * len(body.get("params", {}).get("items", [])) \
                    if body["method"] == "workspace/configuration" else None
                self._send({"jsonrpc": "2.0", "id": body["id"], "result": result})
            else:
                self.messages.put(body)

    def _send(self, message: dict) -> None:
        data = json.dumps(message, ensure_ascii=False).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.proc.stdin.flush()

    def notify(self, method: str, params: dict) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: dict, timeout: float = 60) -> object:
        self.next_id += 1
        wanted = self.next_id
        self._send({"jsonrpc": "2.0", "id": wanted, "method": method, "params": params})
        while True:
            message = self.messages.get(timeout=timeout)
            if message.get("id") == wanted:
                return message.get("result")
            self._keep(message)

    def _keep(self, message: dict) -> None:
        self.pending = getattr(self, "pending", [])
        self.pending.append(message)

    def open(self, path: Path, text: str | None = None) -> None:
        text = path.read_text(encoding="utf-8") if text is None else text
        self.notify("textDocument/didOpen", {"textDocument": {"uri": path.as_uri(), "languageId": "yaml",
                                                              "version": 1, "text": text}})

    def diagnostics(self, path: Path, timeout: float = 60) -> list[dict]:
        uri = path.as_uri()
        for message in getattr(self, "pending", []):
            if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
                self.pending.remove(message)
                return message["params"]["diagnostics"]
        while True:
            message = self.messages.get(timeout=timeout)
            if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
                return message["params"]["diagnostics"]
            self._keep(message)

    def close(self) -> None:
        try:
            self.request("shutdown", {}, timeout=10)
            self.notify("exit", {})
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait()
