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
    'config.block_kind': ('"blocks": unknown block type "{kind}" for line {line} (known: {known})',
                          '“blocks”：第 {line} 行的块类型“{kind}”不存在（可用：{known}）'),
    'config.block_twice': ('"blocks": line {line} appears twice', '“blocks”：第 {line} 行出现了两次'),
    'config.block_line': ('"blocks": no block starts at line {line} of the source '
                          '(the nearest blocks start at lines {near})',
                          '“blocks”：原文第 {line} 行不是一块的开头（附近的块从第 {near} 行开始）'),
    # ------------------------------------------------------------- publish serve
    'serve.listening': ('publish serve: open {url} (Ctrl-C stops it)',
                        'publish serve：请打开 {url}（按 Ctrl-C 停止）'),
    'serve.exposed': ('WARNING: listening on {host}, not on this computer only: anyone who can reach '
                      'it and learns the address can edit the files of this project',
                      '警告：正在监听 {host}，而不仅仅是本机：任何能访问它并知道地址的人都可以修改本项目的文件'),
    'serve.port_busy': ('cannot listen on {host}:{port}: {reason}', '无法监听 {host}:{port}：{reason}'),
    'serve.no_seeds_dir': ('folder not found: {path} (run publish serve in the folder that holds seeds/)',
                           '找不到文件夹 {path}（请在包含 seeds/ 的文件夹中运行 publish serve）'),
    'serve.refused.host': ('refused: unknown host name', '已拒绝：未知的主机名'),
    'serve.refused.token': ('refused: open the address that publish serve printed (it carries the access key)',
                            '已拒绝：请打开 publish serve 显示的地址（其中带有访问密钥）'),
    'serve.refused.csrf': ('refused: the request did not come from this page', '已拒绝：请求不是来自本页面'),
    'serve.refused.method': ('refused: method not allowed', '已拒绝：不允许的请求方式'),
    'serve.refused.size': ('refused: the upload is larger than {limit}', '已拒绝：上传的内容超过 {limit}'),
    'serve.refused.length': ('refused: the request does not say its length', '已拒绝：请求没有给出长度'),
    'serve.bad_name': ('"{name}" is not a usable article name (letters, digits, - _ and ., up to 80)',
                       '“{name}”不能用作文章名（可用字母、数字、- _ 和 .，最多 80 个字符）'),
    'serve.bad_figure_name': ('"{name}" is not a usable image name (a JPEG or PNG file name)',
                              '“{name}”不能用作图片文件名（应为 JPEG 或 PNG 文件名）'),
    'serve.not_found': ('no article named "{name}"', '没有名为“{name}”的文章'),
    'serve.exists': ('an article named "{name}" exists already; choose another name',
                     '已有名为“{name}”的文章，请换一个名字'),
    'serve.image_exists': ('an image named "{name}" exists already; rename the file and try again',
                           '已有名为“{name}”的图片，请给文件改名后再试'),
    'serve.no_text': ('paste the article or choose a .txt file', '请粘贴文章或选择一个 .txt 文件'),
    'serve.too_large': ('{what} is larger than {limit}', '{what}超过 {limit}'),
    'serve.not_image': ('not a JPEG or PNG image', '不是 JPEG 或 PNG 图片'),
    'serve.image_bomb': ('the image is too large ({width}×{height} pixels; at most {limit} megapixels)',
                         '图片太大（{width}×{height} 像素；最多 {limit} 百万像素）'),
    'serve.image_broken': ('the image is damaged: {reason}', '图片已损坏：{reason}'),
    'serve.bad_line': ('line {line} is not a blank line that the normalizer decided',
                       '第 {line} 行不是规范化程序判断过的空行'),
    'serve.bad_block': ('line {line} is not where a block of the article starts',
                        '第 {line} 行不是文章中某一块的开头'),
    'serve.bad_kind': ('"{kind}" is not a block type (known: {known})', '“{kind}”不是块类型（可用：{known}）'),
    'serve.not_number': ('"{field}" must be a whole number, not "{value}"', '“{field}”必须是整数，而不是“{value}”'),
    'serve.bad_field': ('"{field}": {reason}', '“{field}”：{reason}'),
    'serve.no_edition': ('the {fmt} edition has not been built yet', '{fmt} 版本尚未生成'),
    'serve.ui.library': ('Library', '文章库'),
    'serve.ui.new': ('New article', '新文章'),
    'serve.ui.build_all': ('Build all', '全部生成'),
    'serve.ui.building': ('Building {done}/{total}…', '正在生成 {done}/{total}…'),
    'serve.ui.built': ('Built', '已生成'),
    'serve.ui.headline': ('Headline', '标题'),
    'serve.ui.date': ('Date', '日期'),
    'serve.ui.state': ('State', '状态'),
    'serve.ui.state.ok': ('up to date', '已是最新'),
    'serve.ui.state.stale': ('needs building', '需要生成'),
    'serve.ui.state.failed': ('failed', '失败'),
    'serve.ui.uncertain': ('{count} uncertain', '{count} 处存疑'),
    'serve.ui.name': ('Name', '名称'),
    'serve.ui.paste': ('Paste the article here', '在此粘贴文章'),
    'serve.ui.or_upload': ('or choose a .txt file', '或选择一个 .txt 文件'),
    'serve.ui.save_open': ('Save and proofread', '保存并校对'),
    'serve.ui.decisions': ('Breaks to check', '需要核对的分段'),
    'serve.ui.all_decisions': ('All blank lines of the source', '原文中的全部空行'),
    'serve.ui.joined': ('joined', '已接排'),
    'serve.ui.kept': ('kept as a paragraph break', '保留分段'),
    'serve.ui.make_break': ('Split here', '在此分段'),
    'serve.ui.make_join': ('Join here', '在此接排'),
    'serve.ui.line': ('line {line}', '第 {line} 行'),
    'serve.ui.sure': ('{percent}% sure', '把握 {percent}%'),
    'serve.ui.none_uncertain': ('No uncertain decisions.', '没有存疑的判断。'),
    'serve.ui.article': ('Article', '文章'),
    'serve.ui.metadata': ('Details', '文章信息'),
    'serve.ui.publication': ('Publication', '报刊'),
    'serve.ui.section': ('Section', '版面'),
    'serve.ui.contributors': ('Contributors', '作者'),
    'serve.ui.contributors_hint': ('one a line: name, role (writer, photographer, editor…), title',
                                   '每行一位：姓名, 角色（writer、photographer、editor…）, 职务'),
    'serve.ui.save': ('Save', '保存'),
    'serve.ui.saved': ('Saved', '已保存'),
    'serve.ui.figures': ('Figures', '图片'),
    'serve.ui.figure_file': ('JPEG or PNG image', 'JPEG 或 PNG 图片'),
    'serve.ui.caption': ('Caption', '图片说明'),
    'serve.ui.credit': ('Credit', '署名'),
    'serve.ui.alt': ('Description for readers who cannot see it', '替代文字（供看不到图片的读者）'),
    'serve.ui.after': ('After block number', '放在第几块之后'),
    'serve.ui.add_figure': ('Add figure', '添加图片'),
    'serve.ui.preview': ('Print preview', '印刷版预览'),
    'serve.ui.rebuild': ('Rebuild', '重新生成'),
    'serve.ui.no_preview': ('Not built yet.', '尚未生成。'),
    'serve.ui.downloads': ('Download', '下载'),
    'serve.ui.changed': ('Changed on disk; shown anew.', '磁盘上的文件已改动，已重新显示。'),
    'serve.ui.error': ('Error', '错误'),
    'serve.ui.block_type': ('Type of block {number}', '第 {number} 块的类型'),
    'serve.ui.as_recognised': ('as recognised', '按自动识别'),
    'serve.ui.given': ('type set by hand', '类型已手动指定'),
    'serve.block.banner': ('banner', '通栏'),
    'serve.block.kicker': ('kicker', '引题'),
    'serve.block.title': ('headline', '主题'),
    'serve.block.subtitle': ('subtitle', '副题'),
    'serve.block.byline': ('byline', '署名'),
    'serve.block.paragraph': ('paragraph', '正文'),
    'serve.block.lead': ('lead', '导语'),
    'serve.block.run_in': ('run-in head', '段首小标题'),
    'serve.block.dateline': ('dateline', '电头'),
    'serve.block.question': ('question', '问'),
    'serve.block.answer': ('answer', '答'),
    'serve.block.subhead': ('subhead', '小标题'),
    'serve.block.caption': ('caption', '图片说明'),
    'serve.block.editor_note': ("editor's note", '编者按'),
    'serve.block.figure': ('figure', '图片'),
    'serve.role.writer': ('writer', '文字'),
    'serve.role.photographer': ('photographer', '摄影'),
    'serve.role.illustrator': ('illustrator', '绘图'),
    'serve.role.editor': ('editor', '编辑'),
    'serve.role.translator': ('translator', '翻译'),
    # ------------------------------------------------------------- normalizer cues (publish/normalize/breaks.py)
    'cue.1': ('prior', '基线（多数空行是真正的分段）'),
    'cue.2': ('no running text above yet (headline area)', '上方还没有正文（标题区）'),
    'cue.3': ('stops inside a sentence', '停在句子中间'),
    'cue.4': ('ends with a colon', '以冒号结尾'),
    'cue.5': ('ends with a dash', '以破折号结尾'),
    'cue.6': ('quotation or bracket still open', '引号或括号尚未闭合'),
    'cue.7': ('text above has finished sentences', '上方文字有完整的句子'),
    'cue.8': ('text above is long for a heading', '上方文字作为标题太长'),
    'cue.9': ('block above is very short', '上方一块很短'),
    'cue.10': ('block below opens with a particle', '下方一块以助词开头'),
    'cue.11': ('a word runs across the break', '一个词被空行隔断'),
    'cue.12': ('block below is short and has no sentence', '下方一块很短且不成句'),
    'cue.13': ('block below is one short sentence', '下方一块是一个短句'),
    'cue.14': ('text above has commas', '上方文字有逗号'),
    'cue.15': ('block above has a space (a heading)', '上方一块中有空格（像标题）'),
    'cue.16': ('block above ends with a bracket', '上方一块以括号结尾'),
    'cue.17': ('block above ends with a closing quote', '上方一块以后引号结尾'),
    'cue.18': ('block below opens with a quotation', '下方一块以引语开头'),
    'cue.19': ('block above ends with a function word', '上方一块以虚词结尾'),
    'cue.20': ('a number at the break', '空行处有数字'),
    'cue.21': ('text above reads like running text', '上方文字像正文'),
    'cue.22': ('block below opens like a new paragraph', '下方一块像新段落的开头'),
    'cue.23': ('both blocks are short', '上下两块都很短'),
    'cue.24': ('the last clause above is unfinished', '上方最后一个分句没有说完'),
    'cue.25': ('block above ends with a word that needs what follows', '上方一块以需要后文的词结尾'),
    'cue.26': ('block above ends with “的”', '上方一块以“的”结尾'),
    'cue.27': ('the last clause above has 把/将/被/据 but not its verb', '上方最后一个分句有“把/将/被/据”却没有动词'),
    'cue.28': ('block below opens with an auxiliary verb', '下方一块以助动词开头'),
    'cue.29': ('the block above introduces a quotation (…说：)', '上方一块引出引语（……说：）'),
    'cue.30': ('the text reads far better across the break than split', '连起来读比断开读通顺得多'),
    'cue.31': ('block above ends with a verb', '上方一块以动词结尾'),
    'cue.32': ('block below opens with an adverb, preposition or particle', '下方一块以副词、介词或助词开头'),
    'cue.33': ('block below opens with a verb', '下方一块以动词开头'),
    'cue.34': ('block below opens with a count (200头)', '下方一块以数量开头（200头）'),
    'cue.35': ('the first sentence below is a fragment', '下方第一句不完整'),
    'cue.36': ('the text above fills its last line', '上方文字正好排满最后一行'),
    'cue.37': ('lines of verse', '诗行'),
    'cue.38': ('the break falls at the foot of a column', '空行正好在一栏的末尾'),
    'cue.39': ('the block above ends a sentence', '上方一块以句末标点结束'),
    'cue.40': ('the block below only names the speaker of the quotation above', '下方一块只交代上方引语的说话人'),
    'cue.41': ('the block below opens with the particle “的”', '下方一块以助词“的”开头'),
    'cue.42': ('a number runs across the break', '一个数字被空行隔断'),
    'cue.43': ('the sidecar forces a join here', '附加信息文件（.yaml）要求在此接排'),
    'cue.44': ('the sidecar forces a break here', '附加信息文件（.yaml）要求在此分段'),
    'cue.45': ('the block above is a Q&A head', '上方一块是问答标题'),
    'cue.46': ('the block below opens a Q&A head', '下方一块以问答标题开头'),
    'cue.47': ('the block above is a byline', '上方一块是署名'),
    'cue.48': ('the block below opens a byline', '下方一块以署名开头'),
    'cue.49': ("the block above is an editor's note", '上方一块是编者按'),
    'cue.50': ("the block below opens an editor's note", '下方一块以编者按开头'),
    'cue.51': ('the block above is a section label', '上方一块是栏目名'),
    'cue.52': ('the block below opens a section label', '下方一块以栏目名开头'),
    'cue.53': ('the block above is a caption or credit', '上方一块是图片说明或署名'),
    'cue.54': ('the block below opens a caption or credit', '下方一块以图片说明或署名开头'),
    'cue.55': ('the block above is a dateline', '上方一块是电头'),
    'cue.56': ('the block below opens a dateline', '下方一块以电头开头'),
    'cue.57': ('the block above is an enumerated head', '上方一块是序号小标题（一是、（一）……）'),
    'cue.58': ('the block below opens an enumerated head', '下方一块以序号小标题（一是、（一）……）开头'),
    'cue.59': ('the block above is a caption', '上方一块是图片说明'),
    'cue.60': ('the block below opens a caption', '下方一块以图片说明开头'),
    'cue.61': ('the block above is a marker', '上方一块是标记符号'),
    'cue.62': ('the block below opens a marker', '下方一块以标记符号开头'),
    'cue.63': ('the block above is a dash', '上方一块是破折号'),
    'cue.64': ('the block below opens a dash', '下方一块以破折号开头'),
    'cue.65': ('the block below opens with “{mark}”, which cannot start a paragraph', '下方一块以“{mark}”开头，它不能出现在段首'),
    'cue.66': ('the block above ends with “{mark}”, which cannot end a paragraph', '上方一块以“{mark}”结尾，它不能出现在段尾'),
    'cue.67': ('“{mark}” opened above is closed below', '上方开始的“{mark}”在下方闭合'),
    'cue.68': ('the block above is the signature under a quotation', '上方一块是引语下的署名'),
    'cue.69': ('the block below opens a closing dateline', '下方一块以文末电头开头'),
    'cue.70': ('the two characters above read on into the first below', '上方末两字与下方首字连读通顺'),
    'cue.71': ('ends with a semicolon (the items of a list end so)', '以分号结尾（列举的各项常这样结尾）'),
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
