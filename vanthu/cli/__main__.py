from vanthu.cli import app

app()
