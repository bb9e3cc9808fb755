from ratify.cli import cli

cli()
