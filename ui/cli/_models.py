"""Model backends: `models list/check/pull`."""

from __future__ import annotations

import click

from ui.cli._root import _echo_json, _settings, cli


@cli.group()
def models() -> None:
    """Model backends: what is configured, and checking a GGUF file."""


@models.command("list")
@click.pass_context
def models_list(ctx: click.Context) -> None:
    """The configured backend, the backend kinds there are, and GGUF files under home/models."""
    from assistant.backends import backend_usages

    s = _settings(ctx)
    click.echo(f"configured: {s.backend}")
    click.echo(f"backends: {', '.join(backend_usages())}")
    folder = s.home / "models"
    found = sorted(folder.glob("*.gguf")) if folder.is_dir() else []
    click.echo(f"models in {folder}: {', '.join(p.name for p in found) if found else 'none'}")


@models.command("check")
@click.argument("path")
@click.option("--json", "as_json", is_flag=True)
def models_check(path: str, as_json: bool) -> None:
    """Load a GGUF model and print its architecture, parameters, context length and chat template."""
    from assistant.backends import describe_gguf

    info = describe_gguf(path)
    if as_json:
        _echo_json(info)
        return
    template = info["chat_template"] or "none (llama.cpp falls back to its default)"
    click.echo(f"{info['file']}\n  name: {info['name']}\n  architecture: {info['architecture']}\n"
               f"  parameters: {info['parameters']:,}\n  context length: {info['context_length']:,}\n"
               f"  GPU offload in this build: {'yes' if info['gpu_offload'] else 'no'}\n  chat template: {template[:200]}")  # fmt: skip


@models.command("pull")
@click.argument("name")
@click.pass_context
def models_pull(ctx: click.Context, name: str) -> None:
    """Download a GGUF (NAME = REPO_ID/FILE.gguf) from the Hugging Face hub into home/models."""
    from assistant.backends import pull_model

    path = pull_model(name, _settings(ctx).home / "models")
    click.echo(f"downloaded {path}\nuse it with: --backend llama:{path}")


