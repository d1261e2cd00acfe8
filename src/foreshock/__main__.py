from foreshock.cli.main import main

main()
