"""The loading stack: files -> records -> tables, the load cache and the Parquet dataset.

Data flows one way through these modules, each one idea:

============  ==================================================================
``sources``   a source (folder, glob, file, file object, list) -> a ``Source``:
              its kind, root, files (a ``Listing``: Arrow arrays of ids and
              paths; ``FileRef`` objects where needed), label, folders walked
``files``     one file -> its bytes and stamps, safely (regular files only, a
              size limit, a reason for every OS failure); content digests
``records``   one file's bytes -> a ``Record`` (decode, split the front matter,
              parse it, normalise it); pure
``safe_yaml`` one front matter -> Python values, as PyYAML's safe loader gives
              them (depth and alias bounds, readable errors; ``_fast_yaml`` is
              its yaml-rs fast path)
``normalise`` parsed values -> the article's columns, with a warning for each
              coerced field; pure
``build``     records -> typed tables of :data:`newsnb.schema.SCHEMA`
``native``    files -> tables with the compiled reader (``_native.c``), in
              threads, for the records it can prove clean; the rest "unsure"
``tables``    the six tables as Arrow (``Tables``), to pandas once, at the end
``chunks``    files -> tables: the compiled reader first, the Python path
              (``records``, chunk by chunk, in this process or a pool) for the rest
``cache``     the incremental load cache: memory-mapped Arrow segments, a
              manifest of file stamps, the folders walked
``refresh``   which cached rows still hold; cached + fresh rows in corpus order
``loader``    ``load``: source -> cache plan -> parse what changed -> a ``Corpus``
``codec``     the tagged JSON that stores ``extra`` (cache, Parquet, exports)
``parquet``   ``to_parquet`` / ``read_parquet``: the corpus as a Parquet dataset
``engines``   other engines (Dask) as plug-ins, imported only when asked for
============  ==================================================================

The public entry points are re-exported by :mod:`newsnb` (``load``,
``load_text``, ``to_parquet``, ``read_parquet``).  Other layers may use
:func:`~newsnb.io.sources.resolve`, :class:`~newsnb.io.sources.Source`,
:class:`~newsnb.io.sources.FileRef` and :func:`~newsnb.io.chunks.parse_files`
(the Dask engine parses its batches with it); the rest is internal to this
package.  Nothing here imports the widget, chart or Dask layers.
"""
