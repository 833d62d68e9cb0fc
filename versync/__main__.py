from versync._cli import main

raise SystemExit(main())
