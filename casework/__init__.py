"""The domain of Rongrian, by capability: ``cases`` (what every case has), ``general`` (the
general-complaint channel), ``tipline`` (the corruption-tip channel), ``dates``, ``notify``,
``staff``, ``crypto``, ``models`` and the ``audit`` trail.

Nothing here imports a surface (complaints/, whistleblow/, admin/, lineoa/, transparency/) or
the web shell (rongrian/); import-linter checks it in ``make lint``.
"""
