"""The Explorer: a thin shell (``explorer``) over a pure state and pure payloads.

=================  ===============================================================
module             what it holds
=================  ===============================================================
``state``          everything on screen as one immutable value; the transitions
``payload``        state -> what the page draws: status, facets, table page, card
``chart_payload``  state -> the three linked charts as plotly JSON
``view``           the one anywidget (``static/``: its ES module and CSS)
``explorer``       :class:`newsnb.Explorer`: wires intents to transitions, states to
                   the view
=================  ===============================================================

Only ``view`` (and ``explorer``, through it) imports the widget stack.
"""
