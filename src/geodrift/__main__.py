"""python -m geodrift"""

from geodrift.cli import main

main()
