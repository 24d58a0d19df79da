"""The author's commands, as functions ``tasks.py`` calls (each also runs with ``python -m``).

* :mod:`.settings` - the settings files: the one source of paths and addresses;
* :mod:`.problems` - every warning and error of a build as one line;
* :mod:`.build` - the atomic build: Pelican into a staging folder, the link
  gate, then one swap; one ``file:line`` line per problem;
* :mod:`.preview` - build, serve on ``BIND``:``PORT``, rebuild on save, reload the browser;
* :mod:`.newpost` - start a draft, publish a draft;
* :mod:`.import_hugo` - a new project from a Hugo site, its config translated;
* :mod:`.publish` - the publish pipeline: build → link check → compress → deploy;
* :mod:`.secrets` - the secret scan: no key, token or credentials file in a built site;
* :mod:`.screenshots` - PNGs of the site, light and dark, phone and desktop;
* :mod:`.audit` - Lighthouse scores.

Commands may import the plugins, the link checker and the deploy targets;
nothing imports a command. A new command is a module here with ``main(argv)``
and a task in ``tasks.py`` that calls it.
"""
