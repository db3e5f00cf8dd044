"""The few small scripts the pages run in the browser, each a constant.

A deployment's Content-Security-Policy (deploy/nginx) allows an inline script only by the
hash of its text, so no value may be written into a script: each one reads its values from
the ``data-*`` attributes of a hidden element placed just before it, and the same text always
hashes the same. ``csp_hashes()`` gives the hashes the proxy must allow (a test keeps the
nginx template and this module in step).

Streamlit's HTML element drops a script that contains "<": none of these has one.
"""

from __future__ import annotations

import base64
import hashlib
import html

import streamlit as st

# how each script finds its element: the one just before it, else the first on the page
_FIND = (
    "var s=document.currentScript, el=s&&s.previousElementSibling;"
    "if(!el||el.getAttribute('data-sme')!==NAME){el=document.querySelector('[data-sme=\"'+NAME+'\"]');}"
    "if(!el){return;}"
)

SCRIPTS: dict[str, str] = {
    # a new step opens at its top, its first question focused, and is an entry of the browser's
    # history: Back in the browser goes to the previous step
    "step": "(function(){var NAME='step';" + _FIND + """
var d=document, w=window, step=parseInt(el.getAttribute('data-step'),10)||0, first=el.getAttribute('data-first')||'';
var main=d.querySelector('[data-testid="stMain"]')||d.scrollingElement;
if(main){main.scrollTo(0,0);} w.scrollTo(0,0);
var tries=0;
(function focusFirst(){
  var box=first?d.querySelector('.st-key-qbox_'+first):null;
  if(box && box.isConnected){box.setAttribute('tabindex','-1'); box.focus({preventScroll:true});
    if(d.activeElement===box){return;}}
  if(40>tries++){w.setTimeout(focusFirst,50);}
})();
if(step>0 && !(w.history.state && w.history.state.smeStep===step)){w.history.pushState({smeStep:step},'',w.location.href);}
if(!w.__smeBack){w.__smeBack=true; w.addEventListener('popstate',function(){
  var b=d.querySelector('.st-key-nav_back button'); if(b && !b.disabled){b.click();}
});}
})();""",
    # text typed but not yet left (Streamlit sends a text box's value when it loses focus) is
    # kept in this tab's sessionStorage as it is typed, and put back after a reload, then sent
    # (once the page is idle and the new box has settled: a value put into a box Streamlit is
    # still setting up shows, but is never sent)
    "text": "(function(){var NAME='text';" + _FIND + """
var d=document, w=window, tab=el.getAttribute('data-tab')||'tab';
if(w.__smeText===tab){return;} w.__smeText=tab;
function keyOf(x){var box=x.closest('[class*="st-key-q_"]'); var m=box?box.className.match(/st-key-(q_[^ ]+)/):null; return m?'sme:'+tab+':'+m[1]:null;}
function put(x,v){var proto=x.tagName==='TEXTAREA'?w.HTMLTextAreaElement.prototype:w.HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto,'value').set.call(x,v); x.dispatchEvent(new Event('input',{bubbles:true}));}
function hook(x){if(x.__smeHooked){return;} x.__smeHooked=true; var key=keyOf(x); if(!key){return;}
  x.addEventListener('input',function(){try{w.sessionStorage.setItem(key,x.value);}catch(e){}});
  x.addEventListener('blur',function(){w.setTimeout(function(){try{w.sessionStorage.removeItem(key);}catch(e){}},500);});
  var kept=null; try{kept=w.sessionStorage.getItem(key);}catch(e){}
  if(kept && !x.value){w.setTimeout(function(){restore(x,kept,0);},300);}}
function idle(){var a=d.querySelector('[data-testid="stApp"]');
  return a && a.getAttribute('data-test-script-state')==='notRunning' && a.getAttribute('data-test-connection-state')==='CONNECTED';}
function restore(x,v,n){if(!idle() && 100>n){w.setTimeout(function(){restore(x,v,n+1);},100); return;}
  if(!x.isConnected || x.value){return;} put(x,v); w.setTimeout(function(){x.focus(); x.blur();},50);}
function scan(){d.querySelectorAll('[class*="st-key-q_"] textarea').forEach(hook);}
scan(); new MutationObserver(scan).observe(d.body,{childList:true,subtree:true});
})();""",
    # Streamlit's own "Skip to main content" link in the page's language
    "skip": "(function(){var NAME='skip';" + _FIND + """
var text=el.getAttribute('data-text')||'';
function fix(){var a=document.querySelector('a[href="#stMain"]'); if(a && text && a.textContent!==text){a.textContent=text;}}
fix(); window.setTimeout(fix,300); window.setTimeout(fix,1500);
})();""",
}


def markup(name: str, **data: object) -> str:
    """The hidden element with the values, then the script (its text never changes)."""
    attrs = " ".join(f'data-{key}="{html.escape(str(value), quote=True)}"' for key, value in data.items())
    return f'<span hidden data-sme="{name}" {attrs}></span><script>{SCRIPTS[name]}</script>'


def run(name: str, **data: object) -> None:
    st.html(markup(name, **data), unsafe_allow_javascript=True)


def csp_hashes() -> dict[str, str]:
    """``'sha256-…'`` of each script's text, as a Content-Security-Policy lists it."""
    return {
        name: "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"
        for name, text in SCRIPTS.items()
    }
