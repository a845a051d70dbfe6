from wslwizard.cli.main import main

raise SystemExit(main())
