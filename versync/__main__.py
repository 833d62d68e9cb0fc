from versync.cli import main

raise SystemExit(main())
