"""The Explorer's parts: a pure state (``state``), pure payloads (``payload``), one widget (``view``).

``newsnb.Explorer`` (in :mod:`newsnb.explorer`) wires them together.
"""
