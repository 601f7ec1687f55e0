from wushe_cli.main import app

app()
