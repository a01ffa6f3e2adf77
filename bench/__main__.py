from .cycle import main

main()
