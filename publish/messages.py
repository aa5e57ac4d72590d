"""User-facing messages in English and Chinese.

Every line publish prints for a user (errors, progress, the run summary) goes
through this catalogue, so that it reads naturally in Chinese when the locale
is Chinese and in English otherwise.

Language
    :func:`language` looks at ``LC_ALL``, then ``LC_MESSAGES``, then ``LANG``
    (the first one that is set and not empty wins, as in POSIX); a value
    starting with ``zh`` (``zh_CN.UTF-8``, ``zh_TW``…) selects Chinese, anything
    else English.  ``LANGUAGE`` is not consulted.

Two ways to get a message translated
    1. **Keys** (preferred).  Add an entry to :data:`CATALOGUE`::

           'config.unknown_key': ("unknown key '{key}'; allowed keys: {allowed}",
                                  "未知的键“{key}”；可用的键：{allowed}"),

       and either format it where the error is raised::

           raise ConfigError(msg('config.unknown_key', key=k, allowed=...), path, line)

       or attach the key so the text is chosen when it is printed (useful when
       the error crosses a process boundary)::

           err = ConfigError("unknown key 'foo'", path, line)
           err.key, err.params = 'config.unknown_key', {'key': 'foo', ...}

    2. **Templates** (no change to the raising code).  :func:`translate` matches
       an English message against every English template in the catalogue
       (placeholders match any text) and, on a match, returns the Chinese
       template filled with the same values.  So
       ``PublishError("unknown key 'foo'; allowed keys: date, title")`` prints in
       Chinese as soon as the template above is in the catalogue.

    :func:`format_error` turns any :class:`~publish.errors.PublishError` into
    its one printed line (``file:line: message``) in the user's language using
    the key when there is one, else the template table, else the message as
    raised.  Placeholder values are inserted unchanged; values that are
    themselves messages may be passed through :func:`translate` first.
"""
from __future__ import annotations

import errno
import os
import re
from functools import lru_cache

# key: (English, Chinese).  Placeholders use str.format syntax ({name}).
CATALOGUE: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------- build
    'build.wrote': ('wrote {path}', '已写出 {path}'),
    'build.progress.built': ('[{done}/{total}] {name}: built {formats}',
                             '[{done}/{total}] {name}：已生成 {formats}'),
    'build.progress.skipped': ('[{done}/{total}] {name}: up to date',
                               '[{done}/{total}] {name}：没有改动，无需重建'),
    'build.progress.failed': ('[{done}/{total}] {name}: failed',
                              '[{done}/{total}] {name}：失败'),
    'build.bar.label': ('Building', '正在生成'),
    'build.summary.ok': ('Done: {built} edition(s) built, {skipped} up to date, {files} file(s) written.',
                         '完成：生成 {built} 个版本，{skipped} 个无需重建，共写出 {files} 个文件。'),
    'build.summary.nothing': ('Nothing to do: all {skipped} edition(s) are up to date.',
                              '无需重建：全部 {skipped} 个版本都是最新的。'),
    'build.summary.failed': ('{failed} of {total} edition(s) failed; their earlier files, if any, were left as they were:',
                             '{total} 个版本中有 {failed} 个失败，它们原有的文件（如果有）保持不变：'),
    'build.summary.item': ('  {name}: {error}', '  {name}：{error}'),
    'build.warning': ('{path}: warning: {text}', '{path}：注意：{text}'),
    'build.internal_error': ('{name}: internal error in publish ({error}); please report it with the traceback above',
                             '{name}：publish 内部错误（{error}），请连同上方的错误详情一起报告'),
    'build.worker_died': ('the worker process building it stopped unexpectedly ({error})',
                          '负责生成它的进程意外退出（{error}）'),
    'build.interrupted': ('Interrupted: finished editions are kept, unfinished files were discarded.',
                          '已中断：已完成的版本保留，未完成的文件已丢弃。'),
    'build.no_seeds': ('no articles to build: {path} has no .txt files',
                       '没有可生成的文章：{path} 中没有 .txt 文件'),
    'build.no_seeds_dir': ('folder not found: {path} (put the articles in a folder named seeds)',
                           '找不到文件夹 {path}（请把文章放在名为 seeds 的文件夹中）'),
    'build.unknown_article': ("no article named '{name}' (looked for {path})",
                              "找不到名为“{name}”的文章（查找位置：{path}）"),
    'build.lock.holder': ('another publish run (process {pid})', '另一个 publish 进程（进程号 {pid}）'),
    'build.lock.holder_unknown': ('another publish run', '另一个 publish 进程'),
    'build.lock.waiting': ('{path}: waiting for {holder} to finish building there…',
                           '{path}：{holder}正在此处生成，等待它完成……'),
    'build.lock.busy': ('{path}: {holder} is building there; run again when it has finished, '
                        'or without --no-wait to wait for it',
                        '{path}：{holder}正在此处生成；请在它完成后再运行，或去掉 --no-wait 等待它完成'),
    'build.dist_not_writable': ('cannot write to the output folder: {reason}',
                                '无法写入输出文件夹：{reason}'),
    'build.write_failed': ('could not write {path}: {reason}', '无法写入 {path}：{reason}'),
    'build.output_empty': ('the {fmt} renderer did not produce {path}',
                           '{fmt} 生成器没有写出 {path}'),
    'build.format_unavailable': ('the {fmt} format is not available: {reason}',
                                 '{fmt} 格式不可用：{reason}'),
    'build.unknown_format': ("unknown format '{fmt}' (choose from {choices})",
                             "未知格式“{fmt}”（可选：{choices}）"),
    # ------------------------------------------------------------- verify
    'verify.changed': ('changed: {path} (its sha256 no longer matches {manifest})',
                       '已被改动：{path}（sha256 与 {manifest} 不符）'),
    'verify.missing': ('missing: {path} (listed in {manifest})',
                       '缺失：{path}（{manifest} 中有记录）'),
    'verify.extra': ('extra: {path} (not listed in any manifest)',
                     '多余：{path}（不在任何清单中）'),
    'verify.bad_manifest': ('unreadable manifest: {path} ({reason})',
                            '清单无法读取：{path}（{reason}）'),
    'verify.ok': ('All {files} file(s) of {editions} edition(s) match their manifests.',
                  '全部 {editions} 个版本的 {files} 个文件与清单一致。'),
    'verify.failed': ('{count} problem(s) found in {path}.', '在 {path} 中发现 {count} 个问题。'),
    'verify.no_dist': ('nothing to verify: {path} does not exist (run publish all first)',
                       '没有可校验的内容：{path} 不存在（请先运行 publish all）'),
    # ------------------------------------------------------------- archive
    'archive.written': ('Wrote the BagIt bag {path} ({count} edition(s)); it validates.',
                        '已写出 BagIt 归档包 {path}（{count} 个版本），校验通过。'),
    'archive.not_built': ("edition '{name}' has not been built yet (no {path}); run publish all first",
                          "版本“{name}”尚未生成（没有 {path}），请先运行 publish all"),
    'archive.nothing': ('nothing to archive: no built editions in {path}',
                        '没有可归档的内容：{path} 中没有已生成的版本'),
    'archive.unverified': ("edition '{name}' does not match its manifest ({path}); rebuild it "
                           "(publish all --force {name}) before archiving",
                           "版本“{name}”与其清单不符（{path}），请先重新生成（publish all --force {name}）再归档"),
    'archive.invalid': ('the bag {path} does not validate: {reason}', '归档包 {path} 校验失败：{reason}'),
    # ------------------------------------------------------------- OS reasons
    'os.enospc': ('the disk is full', '磁盘已满'),
    'os.eacces': ('permission denied', '没有写入权限'),
    'os.erofs': ('the file system is read-only', '文件系统是只读的'),
    'os.efbig': ('the file is too large for this file system', '文件超出了文件系统允许的大小'),
    'os.edquot': ('the disk quota is exceeded', '超出了磁盘配额'),
    'os.enoent': ('the folder does not exist', '文件夹不存在'),
    'os.other': ('{reason}', '{reason}'),
    # ------------------------------------------------------------- input: publish/source.py
    # (English exactly as raised there, so translate() matches them)
    'source.binary': ('this is a binary file, not text', '这是二进制文件，不是文本'),
    'source.encoding': ('cannot read this file as text (not UTF-8, UTF-16 or GB18030)',
                        '无法把这个文件读作文本（它不是 UTF-8、UTF-16 或 GB18030 编码）'),
    'source.unreadable': ('cannot read the file: {reason}', '无法读取文件：{reason}'),
    'source.empty': ('the file is empty', '文件是空的'),
    'source.blank': ('the file holds only whitespace', '文件里只有空白字符'),
    'figure.after_range': ('figure "{name}": after {after}, but the article has {count} blocks',
                           '图片“{name}”：要放在第 {after} 块之后，但文章只有 {count} 块'),
    'figure.after_text': ('figure "{name}": no block contains "{after}"',
                          '图片“{name}”：没有哪一块文字包含“{after}”'),
    'figure.url': ('figure "{name}": images must be files beside the article, not URLs',
                   '图片“{name}”：图片必须是文章旁边的文件，不能是网址'),
    'figure.absolute': ('figure "{name}": give a path relative to the article, not an absolute one',
                        '图片“{name}”：请写相对于文章的路径，不要写绝对路径'),
    'figure.outside': ('figure "{name}": the image must be inside the project',
                       '图片“{name}”：图片必须在项目文件夹之内'),
    'figure.missing': ('figure "{name}": image not found', '图片“{name}”：找不到图片文件'),
    'figure.not_image': ('figure "{name}": not a JPEG or PNG image', '图片“{name}”：不是 JPEG 或 PNG 图片'),
    # ------------------------------------------------------------- input: publish/config.py
    'config.two_sidecars': ('two sidecars for one article: {first} and {second}; keep one of them',
                            '同一篇文章有两个附加信息文件：{first} 和 {second}，请只保留其中一个'),
    'config.not_utf8': ('the sidecar is not UTF-8 text', '附加信息文件（.yaml）不是 UTF-8 文本'),
    'config.yaml_syntax': ('YAML syntax error: {detail}', 'YAML 语法错误：{detail}'),
    'config.yaml_error': ('YAML error: {detail}', 'YAML 错误：{detail}'),
    'config.unknown_key': ('unknown key "{key}" (known keys: {known})', '未知的键“{key}”（可用的键：{known}）'),
    'config.bad_date': ('"date" must be a date like 2019-02-01, not "{value}"',
                        '“date”必须是 2019-02-01 这样的日期，而不是“{value}”'),
    'config.bad_language': ('"language" must be a language tag like zh-CN, not "{value}"',
                            '“language”必须是 zh-CN 这样的语言标记，而不是“{value}”'),
    'config.bad_layout': ('"layout" must be the name of a folder in layouts/, not "{value}"',
                          '“layout”必须是 layouts/ 中某个文件夹的名字，而不是“{value}”'),
    'config.not_mapping': ('{what} must be a mapping of keys to values', '{what} 必须是“键: 值”形式的映射'),
    'config.plain_keys': ('{what}: keys must be plain words', '{what}：键必须是普通的词'),
    'config.duplicate_key': ('{what}: key "{key}" appears twice', '{what}：键“{key}”出现了两次'),
    'config.not_scalar': ('"{key}" must be a single value, not a list or mapping',
                          '“{key}”必须是单个值，不能是列表或映射'),
    'config.not_integer': ('"{key}" must be a whole number, not "{value}"', '“{key}”必须是整数，而不是“{value}”'),
    'config.too_small': ('"{key}" must be 1 or more, not {value}', '“{key}”必须大于等于 1，而不是 {value}'),
    'config.not_list': ('"{key}" must be a list', '“{key}”必须是列表'),
    'config.headline_part': ('unknown headline part "{name}" (known: {known})', '未知的标题部分“{name}”（可用：{known}）'),
    'config.contributor_key': ('unknown contributor key "{name}" (known: name, role, title)',
                               '未知的作者字段“{name}”（可用：name、role、title）'),
    'config.contributor_name': ('a contributor needs a "name"', '每位作者都需要写“name”'),
    'config.role': ('unknown role "{word}" (known: {known})', '未知的角色“{word}”（可用：{known}）'),
    'config.figure_file': ('a figure needs a "file"', '每张图片都需要写“file”'),
}

_ERRNO_KEYS = {
    errno.ENOSPC: 'os.enospc', errno.EACCES: 'os.eacces', errno.EPERM: 'os.eacces',
    errno.EROFS: 'os.erofs', errno.EFBIG: 'os.efbig', errno.EDQUOT: 'os.edquot',
    errno.ENOENT: 'os.enoent',
}


def language(environ: os._Environ | dict | None = None) -> str:
    """'zh' when the message locale is Chinese, else 'en'."""
    env = os.environ if environ is None else environ
    for var in ('LC_ALL', 'LC_MESSAGES', 'LANG'):
        value = env.get(var)
        if value:
            return 'zh' if value.lower().startswith('zh') else 'en'
    return 'en'


def msg(key: str, lang: str | None = None, **params) -> str:
    """The message *key* in the user's language, filled with *params*."""
    en, zh = CATALOGUE[key]
    template = zh if (lang or language()) == 'zh' else en
    return template.format(**params)


@lru_cache(maxsize=None)
def _template_regex(template: str) -> re.Pattern:
    parts = re.split(r'\{(\w+)\}', template)
    out = []
    seen = set()
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(re.escape(part))
        elif part in seen:
            out.append(f'(?P={part})')
        else:
            seen.add(part)
            out.append(f'(?P<{part}>.+?)')
    return re.compile(''.join(out) + r'\Z', re.S)


def translate(message: str, lang: str | None = None) -> str:
    """*message* (English, possibly raised without a key) in the user's language.

    A message matching one of the catalogue's English templates is rendered
    with the Chinese template; any other message is returned unchanged.
    """
    if (lang or language()) != 'zh':
        return message
    for en, zh in CATALOGUE.values():
        if en in ('{reason}',):
            continue
        m = _template_regex(en).match(message)
        if m:
            return zh.format(**m.groupdict())
    return message


def os_reason(exc: OSError, lang: str | None = None) -> str:
    """A short, translated reason for an OSError (disk full, permission denied…)."""
    key = _ERRNO_KEYS.get(exc.errno or 0)
    if key:
        return msg(key, lang)
    return msg('os.other', lang, reason=exc.strerror or str(exc))


def _location(exc: BaseException) -> str:
    """``path[:line[:column]]`` with the path relative to the current folder when inside it."""
    path = getattr(exc, 'path', None)
    if path is None:
        return exc.location() if hasattr(exc, 'location') else ''
    shown = str(path)
    try:
        absolute = os.path.abspath(path)
        cwd = os.getcwd()
        if absolute.startswith(cwd + os.sep):
            shown = os.path.relpath(absolute, cwd)
    except OSError:
        pass
    line, column = getattr(exc, 'line', None), getattr(exc, 'column', None)
    if line is not None:
        shown += f':{line}'
        if column is not None:
            shown += f':{column}'
    return shown


def format_error(exc: BaseException, lang: str | None = None) -> str:
    """The one line printed for a PublishError: ``file:line: message``."""
    key = getattr(exc, 'key', None)
    message = getattr(exc, 'message', None) or str(exc)
    if key in CATALOGUE:
        try:
            message = msg(key, lang, **(getattr(exc, 'params', None) or {}))
        except (KeyError, IndexError):
            message = translate(message, lang)
    else:
        message = translate(message, lang)
    where = _location(exc)
    line = f'{where}: {message}' if where else message
    # one line, always
    return ' '.join(line.split('\n')) if '\n' in line else line


#: the name publish/cli.py looks for
localize = format_error
