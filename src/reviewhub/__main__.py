from reviewhub.cli import main

main()
