"""``publish serve``: the proofing desk, a local web application on the project.

    security.py   the guard in front of every request (host, access key, CSRF, size)
    names.py      article and image names, confined to the project's seeds/
    uploads.py    pasted or uploaded text and images, checked by content
    decisions.py  the normalizer's decision at every blank line, as the pages show them
    proof.py      an article as the proofing view shows it: labelled blocks and break marks
    sidecar.py    edits of seeds/NAME.yaml that keep a person's comments and key order
    library.py    every seed with its headline, date and state
    preview.py    the PDF's pages as PNG images
    builds.py     builds started from the pages, one at a time, with their progress
    i18n.py       the language of a request and the interface's messages
    app.py        the routes
    command.py    the ``serve`` subcommand

Importing this package is cheap; the web stack is imported by :mod:`.app`.
"""
