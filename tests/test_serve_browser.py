"""``publish serve`` end to end, in headless Chromium (Debian's chromium and chromium-driver).

Paste the seed, see its seven joined column breaks, flip one, find it in
seeds/NAME.yaml, rebuild, download the PDF and find the paragraph split in
pdftotext.  Screenshots of the library, the proofing view and the preview
are saved in bench/out/serve/ to be looked at.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time

import pytest

from serve_helpers import REPO, SEED, environment

CHROMIUM = shutil.which('chromium')
DRIVER = shutil.which('chromedriver')
SHOTS = REPO / 'bench' / 'out' / 'serve'
SPLIT = re.compile(r'督\s*\n\s*导考评')          # 督 ends a paragraph, 导考评 opens the next

# chromium, chromium-driver and poppler-utils come with scripts/setup.sh --test:
# without them these tests fail, they are not skipped


@pytest.fixture
def server(tmp_path):
    root = tmp_path / 'project'
    (root / 'seeds').mkdir(parents=True)
    env = environment(XDG_CACHE_HOME=str(tmp_path / 'cache'))
    process = subprocess.Popen([sys.executable, '-m', 'publish', 'serve', '--port', '0'], cwd=root, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        url = re.search(r'http://\S+', line)
        assert url, line + process.stderr.read()
        yield root, url.group(0)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
                     '--window-size=1400,1000', '--lang=en-US'):
        options.add_argument(argument)
    downloads = tmp_path / 'downloads'
    downloads.mkdir()
    options.add_experimental_option('prefs', {'download.default_directory': str(downloads),
                                              'download.prompt_for_download': False,
                                              'intl.accept_languages': 'en-US,en'})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.downloads = downloads
    try:
        yield driver
    finally:
        driver.quit()


def _wait(condition, seconds=60, what='condition'):
    """The first true value of *condition*; the page may be replaced under it
    meanwhile (it refreshes itself when files change), which only means: not yet."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = condition()
        except (StaleElementReferenceException, NoSuchElementException):
            value = None
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f'timed out waiting for {what}')


def _download_pdf(driver, name: str) -> str:
    from selenium.webdriver.common.by import By
    for old in driver.downloads.iterdir():
        old.unlink()

    def click():
        driver.find_element(By.CSS_SELECTOR, f'a[href="/a/{name}/download/pdf"]').click()
        return True
    _wait(click, what='the download link')
    pdf = _wait(lambda: next((p for p in driver.downloads.glob('*.pdf')), None), what='the download')
    _wait(lambda: not list(driver.downloads.glob('*.crdownload')), what='the download to finish')
    return subprocess.run(['pdftotext', str(pdf), '-'], capture_output=True, text=True, check=True).stdout


def _screenshot(driver, name: str) -> None:
    """SHOTS/NAME.png, once the page's fonts have loaded: every face the page
    uses must load (a subset the server failed to make would not), and
    until then a machine without Chinese fonts would show empty boxes."""
    _wait(lambda: driver.execute_script('return document.fonts.status') == 'loaded', what='the fonts')
    faces = driver.execute_script('return [...document.fonts].map(f => [f.family, f.status])')
    assert not [f for f in faces if f[1] == 'error'], faces
    assert ['Desk Sans', 'loaded'] in faces, faces
    driver.save_screenshot(str(SHOTS / f'{name}.png'))


def test_paste_proofread_flip_rebuild_download(server, browser):
    from selenium.webdriver.common.by import By
    root, url = server
    driver = browser
    SHOTS.mkdir(parents=True, exist_ok=True)

    driver.get(url)                                 # the key becomes a cookie; the address loses it
    assert 'key=' not in driver.current_url
    driver.find_element(By.LINK_TEXT, 'New article').click()

    # paste the seed; the name is suggested from the headline, and editable
    text = SEED.read_text(encoding='utf-8')
    area = driver.find_element(By.ID, 'new-text')
    driver.execute_script("arguments[0].value = arguments[1];"
                          "arguments[0].dispatchEvent(new Event('change'));", area, text)
    name_field = driver.find_element(By.ID, 'new-name')
    _wait(lambda: name_field.get_attribute('value'), what='the suggested name')
    assert name_field.get_attribute('value').startswith('三个一')
    name_field.clear()
    name_field.send_keys('seed')
    driver.find_element(By.CSS_SELECTOR, '#new-article button[type=submit]').click()
    _wait(lambda: driver.current_url.endswith('/a/seed'), what='the proofing view')
    assert (root / 'seeds' / 'seed.txt').read_text(encoding='utf-8') == text

    # the seven joined column breaks
    marks = _wait(lambda: [m.get_attribute('data-line')
                           for m in driver.find_elements(By.CSS_SELECTOR, '.article .mark')], what='the marks')
    assert marks == ['22', '26', '32', '42', '46', '52', '56']

    # build as it is: no split at 督|导考评
    driver.find_element(By.ID, 'rebuild').click()
    _wait(lambda: driver.find_elements(By.CSS_SELECTOR, '.pages img'), 120, 'the preview')
    assert not SPLIT.search(_download_pdf(driver, 'seed'))

    # flip the first one: written into the sidecar, the preview rebuilt
    version = driver.find_element(By.ID, 'proof').get_attribute('data-version')

    def click_mark():
        driver.find_element(By.CSS_SELECTOR, '.article .mark[data-line="22"]').click()
        return True
    _wait(click_mark, what='the mark to click')
    sidecar = root / 'seeds' / 'seed.yaml'
    _wait(lambda: sidecar.exists() and 'break: [22]' in sidecar.read_text(encoding='utf-8'), what='the sidecar')
    _wait(lambda: driver.find_element(By.ID, 'proof').get_attribute('data-version') not in ('', version),
          120, 'the rebuilt preview')
    marks = _wait(lambda: [m.get_attribute('data-line')
                           for m in driver.find_elements(By.CSS_SELECTOR, '.article .mark')], what='the marks')
    assert marks == ['26', '32', '42', '46', '52', '56']
    assert _wait(lambda: driver.find_element(By.CSS_SELECTOR, '.gap[data-line="22"]').is_displayed(),
                 what='the kept break')
    _screenshot(driver, 'proofing')

    # the downloaded PDF has the paragraph split
    assert SPLIT.search(_download_pdf(driver, 'seed'))

    driver.execute_script("document.querySelector('.preview').scrollIntoView()")
    _wait(lambda: driver.execute_script(
        "return [...document.querySelectorAll('.pages img')].every(i => i.complete && i.naturalWidth > 0)"),
        what='the page images')
    _screenshot(driver, 'preview')

    driver.get(url.split('/?')[0] + '/')
    _wait(lambda: 'up to date' in driver.page_source, what='the library')
    _screenshot(driver, 'library')


def test_a_file_changed_on_disk_shows_without_a_reload(server, browser):
    from selenium.webdriver.common.by import By
    root, url = server
    driver = browser
    shutil.copy(SEED, root / 'seeds' / 'seed.txt')
    driver.get(url)
    driver.get(url.split('/?')[0] + '/a/seed')
    driver.execute_script('window.notReloaded = true')
    assert len(driver.find_elements(By.CSS_SELECTOR, '.article .mark')) == 7
    time.sleep(1)                                    # the page's event stream has its first snapshot
    (root / 'seeds' / 'seed.yaml').write_text('# edited by hand\nbreak: [42]\n', encoding='utf-8')
    _wait(lambda: len(driver.find_elements(By.CSS_SELECTOR, '.article .mark')) == 6, 20, 'the page to update')
    assert driver.execute_script('return window.notReloaded') is True


def test_text_new_to_the_page_gets_fonts_that_hold_it(server, browser):
    """An article that appears in the open library brings characters its
    fonts were not cut down for: the page takes the fonts of its new text
    (their link is part of the content a live update replaces)."""
    from selenium.webdriver.common.by import By
    root, url = server
    driver = browser
    (root / 'seeds' / 'first.txt').write_text('标题一\n\n正文。\n', encoding='utf-8')
    driver.get(url)
    before = driver.find_element(By.CSS_SELECTOR, 'link.desk-fonts').get_attribute('href')
    time.sleep(1)                                    # the page's event stream has its first snapshot
    shutil.copy(SEED, root / 'seeds' / 'seed.txt')
    _wait(lambda: '三个一' in driver.find_element(By.ID, 'content').text, 20, 'the new article')
    links = _wait(lambda: [e.get_attribute('href') for e in driver.find_elements(By.CSS_SELECTOR, 'link.desk-fonts')
                           if e.get_attribute('href') != before], what='the new fonts')
    assert links
    _wait(lambda: len(driver.find_elements(By.CSS_SELECTOR, 'link.desk-fonts')) == 1, what='the old fonts gone')
    _screenshot(driver, 'library-updated')


def test_a_click_on_a_block_changes_its_type(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    root, url = server
    driver = browser
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(SEED, root / 'seeds' / 'seed.txt')
    sidecar = root / 'seeds' / 'seed.yaml'
    sidecar.write_text('# proofread at the desk\npublication: 郑州日报\n', encoding='utf-8')
    driver.get(url)
    driver.get(url.split('/?')[0] + '/a/seed')
    assert driver.find_elements(By.CSS_SELECTOR, '.block.kind-byline[data-line="9"]')

    # the byline's label opens the types it can be given; a subhead is chosen
    driver.find_element(By.CSS_SELECTOR, '.block[data-line="9"] button.pick').click()
    picker = driver.find_element(By.CSS_SELECTOR, '.block[data-line="9"] select.kind-pick')
    assert picker.is_displayed()
    Select(picker).select_by_value('subhead')
    _wait(lambda: 'blocks:\n  9: subhead\n' in sidecar.read_text(encoding='utf-8'), what='the sidecar')
    assert sidecar.read_text(encoding='utf-8').startswith('# proofread at the desk\npublication: 郑州日报\n')

    # the page shows it anew (no reload), and the preview is rebuilt with it
    driver.execute_script('window.notReloaded = true')
    _wait(lambda: driver.find_elements(By.CSS_SELECTOR, '.block.kind-subhead[data-line="9"]'), what='the new type')
    assert not driver.find_elements(By.CSS_SELECTOR, '.kind-byline')
    label = driver.find_element(By.CSS_SELECTOR, '.block[data-line="9"] button.pick')
    assert label.text == '4 · subhead' and 'given' in label.get_attribute('class')
    _wait(lambda: driver.find_elements(By.CSS_SELECTOR, '.pages img'), 120, 'the preview')
    assert driver.execute_script('return window.notReloaded') is True
    _wait(lambda: driver.execute_script(
        "return [...document.querySelectorAll('.pages img')].every(i => i.complete && i.naturalWidth > 0)"),
        what='the page images')
    _screenshot(driver, 'block-type')
