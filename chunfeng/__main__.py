from chunfeng.cli import main

main()
