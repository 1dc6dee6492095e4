"""The notebook runner's normalisation: nothing that varies between runs reaches the saved file."""

import nbformat

from channelcost.notebooks import normalize_notebook
from channelcost.rerun import parameterize


def test_stream_chunks_are_joined_and_timings_dropped():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print('a'); print('b')")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="a"),
        nbformat.v4.new_output("stream", name="stdout", text="\nb\n"),
        nbformat.v4.new_output("execute_result", data={"text/plain": "1"}, execution_count=1),
        nbformat.v4.new_output("stream", name="stdout", text="c\n"),
    ]
    cell.metadata["execution"] = {"iopub.status.busy": "2026-11-26T10:00:00Z"}
    nb.cells = [cell]
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7"}
    normalize_notebook(nb)
    assert [o.get("text") for o in cell.outputs] == ["a\nb\n", None, "c\n"]
    assert "execution" not in cell.metadata
    assert "version" not in nb.metadata["language_info"]


def test_parameters_cell_is_replaced():
    nb = nbformat.v4.new_notebook()
    p = nbformat.v4.new_code_cell("ARTICLE = None", metadata={"tags": ["parameters"]})
    nb.cells = [nbformat.v4.new_code_cell("x = 1"), p]
    parameterize(nb, ARTICLE="../a.txt", OUTPUT="../out")
    assert nb.cells[1].source == "ARTICLE = '../a.txt'\nOUTPUT = '../out'"
    assert nb.cells[0].source == "x = 1"


def test_a_kernel_that_dies_while_starting_is_started_again(monkeypatch, tmp_path):
    # a port taken between jupyter_client's choice and the kernel's bind kills the kernel at start:
    # the runner starts a new one (new ports) instead of failing the report
    from nbclient import NotebookClient

    from channelcost import notebooks

    real = NotebookClient.start_new_kernel_client
    calls = []

    def flaky(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(NotebookClient, "start_new_kernel_client", flaky)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
    out = notebooks.finish(notebooks.start(nb, tmp_path))
    assert len(calls) == 2
    assert out.cells[0].outputs[0]["text"] == "42\n"
