/* masthead admin: rich-text editing for <textarea data-editor="rich">.
 *
 * Progressive enhancement: the page works with the plain textarea, which
 * holds sanitised HTML. When this script runs and the vendored editor
 * (vendor/quill.js, copied there by scripts/install-npm.sh) loads, the
 * textarea is hidden and a Quill editor takes its place; every change is
 * written back into the textarea as clean HTML, so the form submits what
 * the editor shows. If the editor cannot load, nothing changes.
 *
 * Media, for the image dialog and dropped files. Attributes on the textarea
 * (or on the page's [data-media-picker] element) override the defaults;
 * an empty value turns the feature off:
 *   data-media-upload="URL"   multipart POST (field "file", _csrf) that
 *                             stores an image and answers JSON {url, ...}
 *                             to Accept: application/json;
 *                             default <admin base>/media
 *   data-media-list="URL"     the media library: if it answers JSON
 *                             ({items: [{url, mime, name}...]} or a list)
 *                             the dialog shows the images inline, otherwise
 *                             it opens the page in a window whose "Insert"
 *                             buttons post {type: 'mh:media-insert', file}
 *                             back (media.js); default
 *                             <admin base>/media?kind=image
 * The admin base is where this script is served from, less "assets/".
 *
 * Everything here runs under the admin's CSP (script-src 'self',
 * style-src 'self'): no inline scripts, no style attributes in markup;
 * presentation lives in editor.css. */
(function () {
  'use strict';

  var self = document.currentScript;
  var assetBase = self && self.src ? self.src.replace(/[^/]*$/, '') : '';
  var assetQuery = self && self.src && self.src.indexOf('?') >= 0 ? self.src.slice(self.src.indexOf('?')) : '';
  var adminBase = /\/assets\/$/.test(assetBase) ? assetBase.replace(/assets\/$/, '') : '';
  /* The vendored Quill release (package.json); part of its URLs so that
   * browsers fetch a new release. A browser test checks the two agree. */
  var VENDOR_VERSION = '2.0.3';

  /* ---- UI strings (the admin language is the page's lang) ---- */

  var STRINGS = {
    en: {
      editor: 'Body',
      header: 'Heading',
      bold: 'Bold',
      italic: 'Italic',
      underline: 'Underline',
      ordered: 'Numbered list',
      bullet: 'Bulleted list',
      blockquote: 'Quote',
      link: 'Link',
      image: 'Image',
      table: 'Insert table',
      rowAdd: 'Add row',
      colAdd: 'Add column',
      rowDel: 'Delete row',
      colDel: 'Delete column',
      tableDel: 'Delete table',
      clean: 'Clear formatting',
      undo: 'Undo',
      redo: 'Redo',
      imageTitle: 'Insert image',
      imageUrl: 'Image URL',
      imageAlt: 'Description (alt text)',
      insert: 'Insert',
      cancel: 'Cancel',
      library: 'Media library',
      libraryEmpty: 'The media library is empty.',
      libraryError: 'The media library could not be loaded.',
      openLibrary: 'Choose from the media library…',
      upload: 'Upload',
      uploading: 'Uploading…',
      uploadError: 'The upload failed.',
      badUrl: 'Enter an address starting with http://, https:// or /.',
    },
    'zh-CN': {
      editor: '正文',
      header: '标题',
      bold: '加粗',
      italic: '斜体',
      underline: '下划线',
      ordered: '编号列表',
      bullet: '项目符号列表',
      blockquote: '引用',
      link: '链接',
      image: '图片',
      table: '插入表格',
      rowAdd: '添加行',
      colAdd: '添加列',
      rowDel: '删除行',
      colDel: '删除列',
      tableDel: '删除表格',
      clean: '清除格式',
      undo: '撤销',
      redo: '重做',
      imageTitle: '插入图片',
      imageUrl: '图片地址',
      imageAlt: '图片说明（替代文字）',
      insert: '插入',
      cancel: '取消',
      library: '媒体库',
      libraryEmpty: '媒体库中还没有文件。',
      libraryError: '无法加载媒体库。',
      openLibrary: '从媒体库选择…',
      upload: '上传',
      uploading: '正在上传…',
      uploadError: '上传失败。',
      badUrl: '请输入以 http://、https:// 或 / 开头的地址。',
    },
  };

  function strings() {
    var lang = (document.documentElement.lang || 'en').toLowerCase();
    return lang.indexOf('zh') === 0 ? STRINGS['zh-CN'] : STRINGS.en;
  }

  /* ---- what the editor keeps ---- */

  /* Formats the editor knows; anything else (colours, fonts, sizes...) is
   * dropped when pasting or loading. Alignment has no button but survives
   * editing: loaded from the sanitiser's mh-align-* classes (and align=),
   * written back as the same classes. */
  var FORMATS = ['header', 'bold', 'italic', 'underline', 'link', 'list', 'indent', 'blockquote', 'image', 'table', 'align'];

  /* Attributes that survive in the HTML written back, per element. */
  var KEEP_ATTRS = {
    A: ['href', 'title'],
    IMG: ['src', 'alt', 'width', 'height'],
    TD: ['colspan', 'rowspan'],
    TH: ['colspan', 'rowspan'],
    OL: ['start'],
  };

  function safeUrl(url) {
    url = (url || '').trim();
    return /^(https?:\/\/|\/(?!\/))/i.test(url) ? url : '';
  }

  /* links may also point within the page, to mail or to a phone */
  function safeLink(url) {
    url = (url || '').trim();
    return safeUrl(url) || (/^(mailto:|tel:|#)/i.test(url) ? url : '');
  }

  /* The clipboard matchers: applied to every element of pasted (or
   * loaded) HTML after Quill's own, so they see the formats Quill found. */
  function keepKnownFormats(node, delta) {
    delta.ops.forEach(function (op) {
      if (!op.attributes) return;
      var kept = {};
      var any = false;
      Object.keys(op.attributes).forEach(function (k) {
        if (k === 'link' && !safeLink(op.attributes[k])) return;
        if (FORMATS.indexOf(k) >= 0 || k === 'alt' || k === 'width' || k === 'height') {
          kept[k] = op.attributes[k];
          any = true;
        }
      });
      /* the page title is the only h1; h5/h6 are rare enough to fold */
      if (typeof kept.header === 'number') kept.header = Math.min(4, Math.max(2, kept.header));
      if (any) op.attributes = kept;
      else delete op.attributes;
    });
    return delta;
  }

  /* Inline styles that carry meaning (Google Docs marks bold this way).
   * Read from the attribute text: under the admin's CSP the browser does
   * not parse style attributes of pasted markup into node.style. */
  function styleMarks(node, delta) {
    var css = (node.getAttribute('style') || '').toLowerCase();
    if (!css) return delta;
    var marks = {};
    var w = /(?:^|;)\s*font-weight\s*:\s*([a-z0-9]+)/.exec(css);
    if (w) marks.bold = w[1] === 'bold' || w[1] === 'bolder' || parseInt(w[1], 10) >= 600;
    if (/(?:^|;)\s*font-style\s*:\s*(italic|oblique)/.test(css)) marks.italic = true;
    if (/(?:^|;)\s*text-decoration(?:-line)?\s*:[^;]*underline/.test(css)) marks.underline = true;
    var keys = Object.keys(marks);
    if (!keys.length) return delta;
    delta.ops.forEach(function (op) {
      if (typeof op.insert !== 'string' || op.insert === '\n') return;
      op.attributes = op.attributes || {};
      keys.forEach(function (k) {
        /* an inner element's own marks win over the outer one */
        if (!(k in op.attributes)) op.attributes[k] = marks[k];
      });
      /* "font-weight: normal" (Google Docs wraps everything in one) */
      Object.keys(op.attributes).forEach(function (k) {
        if (op.attributes[k] === false) delete op.attributes[k];
      });
      if (!Object.keys(op.attributes).length) delete op.attributes;
    });
    return delta;
  }

  /* The classes the server's sanitiser writes instead of style attributes
   * (which the site's CSP would ignore): a saved body carries its
   * emphasis and alignment this way. */
  function classMarks(node, delta) {
    var cls = node.classList;
    if (!cls || !cls.length) return delta;
    var marks = {};
    if (cls.contains('mh-bold')) marks.bold = true;
    if (cls.contains('mh-italic')) marks.italic = true;
    if (cls.contains('mh-underline')) marks.underline = true;
    var align = ['right', 'center', 'justify'].filter(function (a) {
      return cls.contains('mh-align-' + a);
    })[0];
    var keys = Object.keys(marks);
    if (!keys.length && !align) return delta;
    delta.ops.forEach(function (op) {
      if (op.insert == null) return;
      op.attributes = op.attributes || {};
      /* a line's alignment sits on its newline; inner elements win */
      if (align && !('align' in op.attributes)) op.attributes.align = align;
      if (typeof op.insert === 'string' && op.insert !== '\n')
        keys.forEach(function (k) {
          if (!(k in op.attributes)) op.attributes[k] = marks[k];
        });
      if (!Object.keys(op.attributes).length) delete op.attributes;
    });
    return delta;
  }

  /* Never text: script bodies, styles, embedded objects. */
  function nothing() {
    return new (window.Quill.import('delta'))();
  }

  /* A header cell is a cell: end it like a <td> so cells stay apart. */
  function headerCell(node, delta) {
    var ops = delta.ops;
    var last = ops.length ? ops[ops.length - 1] : null;
    if (!last || typeof last.insert !== 'string' || last.insert.slice(-1) !== '\n') delta.insert('\n');
    return delta;
  }

  /* Images from the local disk (file:), inline data and other schemes
   * cannot be published; drop them rather than keep a broken reference. */
  function onlyPublishableImages(node, delta) {
    var Delta = window.Quill.import('delta');
    return safeUrl(node.getAttribute('src')) ? delta : new Delta();
  }

  /* ---- HTML written back into the textarea ---- */

  function cleanNode(node) {
    var child = node.firstChild;
    while (child) {
      var next = child.nextSibling;
      if (child.nodeType === 1) {
        var keep = KEEP_ATTRS[child.tagName] || [];
        var align = /(?:^|\s)ql-align-(right|center|justify)(?:\s|$)/.exec(child.getAttribute('class') || '');
        Array.prototype.slice.call(child.attributes).forEach(function (a) {
          if (keep.indexOf(a.name) < 0) child.removeAttribute(a.name);
        });
        /* the sanitiser's name for the editor's alignment */
        if (align) child.setAttribute('class', 'mh-align-' + align[1]);
        cleanNode(child);
      } else if (child.nodeType === 3) {
        /* the editor writes every space as &nbsp;; keep real spaces so
         * lines can wrap, and only runs of spaces as non-breaking */
        child.data = child.data.replace(/\u00a0/g, ' ').replace(/ {2,}/g, function (run) {
          return ' ' + '\u00a0'.repeat(run.length - 1);
        });
      } else {
        node.removeChild(child);
      }
      child = next;
    }
  }

  function toHTML(quill) {
    if (quill.getLength() <= 1 && !quill.root.querySelector('img')) return '';
    /* the editor marks tables with an inline border; drop it before
     * parsing, where the CSP would refuse (and report) it */
    var html = quill.getSemanticHTML().replace(/<table style="[^"]*">/g, '<table>');
    var doc = new DOMParser().parseFromString('<!doctype html><body>' + html, 'text/html');
    cleanNode(doc.body);
    return doc.body.innerHTML;
  }

  /* ---- loading the vendored editor ---- */

  function loadStyle(href) {
    var path = href.replace(/\?.*$/, '');
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) if (links[i].href.replace(/\?.*$/, '') === path) return;
    var l = document.createElement('link');
    l.rel = 'stylesheet';
    l.href = href;
    document.head.appendChild(l);
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      if (window.Quill) return resolve();
      var s = document.createElement('script');
      s.src = src;
      s.onload = function () {
        window.Quill ? resolve() : reject(new Error('editor did not load'));
      };
      s.onerror = function () {
        reject(new Error('editor did not load'));
      };
      document.head.appendChild(s);
    });
  }

  /* ---- the image dialog ---- */

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function mediaItems(json) {
    var list = Array.isArray(json) ? json : json && (json.items || json.media || json.files || []);
    return (Array.isArray(list) ? list : [])
      .map(function (m) {
        if (typeof m === 'string') m = { url: m };
        var url = safeUrl(m.url || m.src || m.href);
        var type = m.mime || m.type || m.content_type || '';
        if (!url || (type && type.indexOf('image/') !== 0)) return null;
        return {
          url: url,
          thumb: safeUrl(m.thumb || m.thumbnail || m.thumb_url) || url,
          name: m.name || m.title || m.filename || m.alt || '',
          alt: m.alt || '',
        };
      })
      .filter(Boolean);
  }

  function csrfToken(form) {
    var f = form && form.querySelector('input[name="_csrf"]');
    if (f) return f.value;
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute('content') : '';
  }

  function openImageDialog(ctx, onInsert) {
    var S = ctx.S;
    var dlg = el('dialog', 'mh-editor-dialog');
    dlg.setAttribute('aria-label', S.imageTitle);
    var form = el('form', 'mh-editor-dialog-form');
    form.method = 'dialog';
    form.appendChild(el('h2', 'mh-editor-dialog-title', S.imageTitle));

    var urlLabel = el('label', 'mh-editor-field');
    urlLabel.appendChild(el('span', null, S.imageUrl));
    var url = el('input');
    url.type = 'text';
    url.name = 'url';
    url.inputMode = 'url';
    url.autocomplete = 'off';
    url.placeholder = 'https://';
    urlLabel.appendChild(url);
    form.appendChild(urlLabel);

    var altLabel = el('label', 'mh-editor-field');
    altLabel.appendChild(el('span', null, S.imageAlt));
    var alt = el('input');
    alt.type = 'text';
    alt.name = 'alt';
    altLabel.appendChild(alt);
    form.appendChild(altLabel);

    var msg = el('p', 'mh-editor-dialog-msg');
    msg.setAttribute('role', 'status');
    form.appendChild(msg);

    var grid = null;
    if (ctx.mediaList) {
      form.appendChild(el('h3', 'mh-editor-dialog-sub', S.library));
      grid = el('div', 'mh-editor-media');
      form.appendChild(grid);
    }
    var file = null;
    var uploadBtn = null;
    if (ctx.mediaUpload) {
      var up = el('div', 'mh-editor-upload');
      file = el('input');
      file.type = 'file';
      file.accept = 'image/*';
      file.name = 'file';
      uploadBtn = el('button', 'mh-editor-btn', S.upload);
      uploadBtn.type = 'button';
      up.appendChild(file);
      up.appendChild(uploadBtn);
      form.appendChild(up);
    }

    var actions = el('div', 'mh-editor-dialog-actions');
    var cancel = el('button', 'mh-editor-btn', S.cancel);
    cancel.type = 'button';
    var ok = el('button', 'mh-editor-btn mh-editor-btn-primary', S.insert);
    ok.type = 'submit';
    actions.appendChild(cancel);
    actions.appendChild(ok);
    form.appendChild(actions);
    dlg.appendChild(form);
    document.body.appendChild(dlg);

    var popup = null;
    function close() {
      window.removeEventListener('message', onMessage);
      if (popup && !popup.closed) popup.close();
      dlg.close();
      dlg.remove();
      ctx.quill.focus();
    }
    function choose(u, a) {
      var safe = safeUrl(u);
      if (!safe) {
        msg.textContent = S.badUrl;
        url.focus();
        return;
      }
      close();
      onInsert(safe, (a || '').trim());
    }
    function showItems(items) {
      grid.textContent = '';
      if (!items.length) {
        grid.appendChild(el('p', 'mh-editor-dialog-msg', S.libraryEmpty));
        return;
      }
      items.forEach(function (m) {
        var b = el('button', 'mh-editor-media-item');
        b.type = 'button';
        b.title = m.name || m.url;
        b.dataset.url = m.url;
        var img = el('img');
        img.src = m.thumb;
        img.alt = m.alt || m.name || '';
        img.loading = 'lazy';
        b.appendChild(img);
        b.addEventListener('click', function () {
          choose(m.url, alt.value || m.alt || '');
        });
        grid.appendChild(b);
      });
    }

    /* the library page in a window of its own; its Insert buttons post
     * the chosen file back to this window */
    function onMessage(e) {
      if (e.origin !== location.origin || !e.data || e.data.type !== 'mh:media-insert') return;
      var items = mediaItems([e.data.file || {}]);
      if (items.length) choose(items[0].url, alt.value || items[0].alt);
    }
    function offerWindow() {
      grid.textContent = '';
      var b = el('button', 'mh-editor-btn', S.openLibrary);
      b.type = 'button';
      b.addEventListener('click', function () {
        popup = window.open(ctx.mediaList, 'mh-media-library', 'width=980,height=720');
        if (popup) window.addEventListener('message', onMessage);
      });
      grid.appendChild(b);
    }
    cancel.addEventListener('click', close);
    dlg.addEventListener('cancel', function (e) {
      e.preventDefault();
      close();
    });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      choose(url.value, alt.value);
    });

    if (grid) {
      fetch(ctx.mediaList, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (r) {
          if (!r.ok) throw new Error(String(r.status));
          if (!/json/.test(r.headers.get('Content-Type') || '')) return null;
          return r.json();
        })
        .then(function (json) {
          if (json) showItems(mediaItems(json));
          else offerWindow();
        })
        .catch(function () {
          grid.textContent = '';
          grid.appendChild(el('p', 'mh-editor-dialog-msg', S.libraryError));
        });
    }
    if (uploadBtn) {
      uploadBtn.addEventListener('click', function () {
        if (!file.files || !file.files.length) {
          file.click();
          return;
        }
        var body = new FormData();
        body.append('_csrf', csrfToken(ctx.form));
        body.append('file', file.files[0]);
        if (alt.value) body.append('alt', alt.value);
        msg.textContent = S.uploading;
        uploadBtn.disabled = true;
        fetch(ctx.mediaUpload, {
          method: 'POST',
          body: body,
          credentials: 'same-origin',
          headers: { Accept: 'application/json', 'X-CSRF-Token': csrfToken(ctx.form) },
        })
          .then(function (r) {
            if (!r.ok) throw new Error(String(r.status));
            return r.json();
          })
          .then(function (json) {
            var items = mediaItems(Array.isArray(json) || json.items ? json : [json.media || json.item || json]);
            if (!items.length) throw new Error('no url');
            choose(items[0].url, alt.value);
          })
          .catch(function () {
            msg.textContent = S.uploadError;
            uploadBtn.disabled = false;
          });
      });
    }

    dlg.showModal();
    url.focus();
    return dlg;
  }

  /* ---- one editor per textarea ---- */

  function setting(ta, picker, key, fallback) {
    if (key in ta.dataset) return ta.dataset[key];
    if (picker && key in picker.dataset) return picker.dataset[key];
    return fallback || '';
  }

  function enhance(ta) {
    var Quill = window.Quill;
    var Delta = Quill.import('delta');
    var S = strings();
    var form = ta.form;
    var picker = document.querySelector('[data-media-picker]');
    var ctx = {
      S: S,
      form: form,
      mediaList: setting(ta, picker, 'mediaList', adminBase && adminBase + 'media?kind=image'),
      mediaUpload: setting(ta, picker, 'mediaUpload', adminBase && adminBase + 'media'),
    };

    var quill;
    var wrap = el('div', 'mh-editor');
    var area = el('div', 'mh-editor-area');
    wrap.appendChild(area);
    ta.insertAdjacentElement('afterend', wrap);

    function tableModule() {
      return quill.getModule('table');
    }
    var toolbar = [
      [{ header: [2, 3, 4, false] }],
      ['bold', 'italic', 'underline'],
      [{ list: 'ordered' }, { list: 'bullet' }, 'blockquote'],
      ['link', 'image'],
      ['table', 'table-row-add', 'table-col-add', 'table-row-del', 'table-col-del', 'table-del'],
      ['clean'],
    ];
    quill = new Quill(area, {
      theme: 'snow',
      formats: FORMATS,
      bounds: wrap,
      modules: {
        table: true,
        history: { delay: 1000, maxStack: 200, userOnly: true },
        clipboard: {
          matchers: [
            [Node.ELEMENT_NODE, styleMarks],
            [Node.ELEMENT_NODE, classMarks],
            [Node.ELEMENT_NODE, keepKnownFormats],
            ['script, style, noscript, template, iframe, object, embed, video, audio, canvas, svg, math, select, button', nothing],
            ['th', headerCell],
            ['img', onlyPublishableImages],
          ],
        },
        uploader: {
          mimetypes: ['image/png', 'image/jpeg', 'image/gif', 'image/webp'],
          handler: function (range, files) {
            /* dropped files go through the media upload, never inline */
            if (!ctx.mediaUpload) return;
            var body = new FormData();
            body.append('_csrf', csrfToken(form));
            body.append('file', files[0]);
            fetch(ctx.mediaUpload, {
              method: 'POST',
              body: body,
              credentials: 'same-origin',
              headers: { Accept: 'application/json', 'X-CSRF-Token': csrfToken(form) },
            })
              .then(function (r) {
                if (!r.ok) throw new Error(String(r.status));
                return r.json();
              })
              .then(function (json) {
                var items = mediaItems(Array.isArray(json) || json.items ? json : [json.media || json.item || json]);
                if (items.length) insertImage(range.index, items[0].url, items[0].alt);
              })
              .catch(function () {});
          },
        },
        toolbar: {
          container: toolbar,
          handlers: {
            image: function () {
              var range = quill.getSelection(true);
              openImageDialog(ctx, function (url, alt) {
                insertImage(range ? range.index : quill.getLength() - 1, url, alt);
              });
            },
            table: function () {
              tableModule().insertTable(3, 3);
            },
            'table-row-add': function () {
              tableModule().insertRowBelow();
            },
            'table-col-add': function () {
              tableModule().insertColumnRight();
            },
            'table-row-del': function () {
              tableModule().deleteRow();
            },
            'table-col-del': function () {
              tableModule().deleteColumn();
            },
            'table-del': function () {
              tableModule().deleteTable();
            },
          },
        },
      },
    });

    ctx.quill = quill;

    function insertImage(index, url, alt) {
      var attrs = alt ? { alt: alt } : undefined;
      quill.updateContents(new Delta().retain(index).insert({ image: url }, attrs), 'user');
      quill.setSelection(index + 1, 0, 'silent');
    }

    /* labels for the toolbar controls (icons alone say little) */
    var tb = quill.getModule('toolbar').container;
    tb.setAttribute('role', 'toolbar');
    tb.setAttribute('aria-label', S.editor);
    var labels = {
      'ql-bold': S.bold,
      'ql-italic': S.italic,
      'ql-underline': S.underline,
      'ql-blockquote': S.blockquote,
      'ql-link': S.link,
      'ql-image': S.image,
      'ql-table': S.table,
      'ql-table-row-add': S.rowAdd,
      'ql-table-col-add': S.colAdd,
      'ql-table-row-del': S.rowDel,
      'ql-table-col-del': S.colDel,
      'ql-table-del': S.tableDel,
      'ql-clean': S.clean,
    };
    Array.prototype.forEach.call(tb.querySelectorAll('button'), function (b) {
      var cls = Array.prototype.filter.call(b.classList, function (c) {
        return labels[c];
      })[0];
      var label = cls ? labels[cls] : b.classList.contains('ql-list') ? (b.value === 'ordered' ? S.ordered : S.bullet) : '';
      if (label) {
        b.title = label;
        b.setAttribute('aria-label', label);
      }
      if (/ql-table-/.test(b.className)) b.classList.add('mh-editor-table-op');
    });
    var headerPicker = tb.querySelector('.ql-header .ql-picker-label');
    if (headerPicker) headerPicker.setAttribute('aria-label', S.header);

    /* table operations only make sense inside a table */
    function updateTableOps() {
      var range = quill.getSelection();
      var inTable = !!(range && tableModule().getTable(range)[2]);
      wrap.classList.toggle('mh-editor-in-table', inTable);
    }
    quill.on('editor-change', updateTableOps);

    /* the body's label names the editable area */
    var label = ta.id && document.querySelector('label[for="' + ta.id + '"]');
    quill.root.setAttribute('aria-label', label ? label.textContent.trim() : S.editor);
    quill.root.setAttribute('role', 'textbox');
    quill.root.setAttribute('aria-multiline', 'true');
    if (label)
      label.addEventListener('click', function () {
        quill.focus();
      });

    /* load what the textarea holds (history starts after it) */
    if (ta.value.trim()) {
      quill.setContents(quill.clipboard.convert({ html: ta.value }), 'silent');
      quill.history.clear();
    }

    /* Write back. Untouched content is left exactly as the server sent it,
     * so opening and saving an entry never rewrites its markup. */
    var dirty = false;
    var timer = 0;
    function sync() {
      clearTimeout(timer);
      timer = 0;
      if (dirty) ta.value = toHTML(quill);
    }
    quill.on('text-change', function (d, old, source) {
      if (source === 'silent') return;
      dirty = true;
      if (!timer) timer = setTimeout(sync, 150);
    });
    ta.required = false; /* a hidden control cannot show its message */
    ta.hidden = true;
    ta.classList.add('mh-editor-source');
    if (form) {
      form.addEventListener('submit', sync, true);
      form.addEventListener('formdata', function (e) {
        sync();
        if (dirty && ta.name) e.formData.set(ta.name, ta.value);
      });
    }
    wrap.mhEditor = { quill: quill, sync: sync, toHTML: toHTML.bind(null, quill) };
    ta.dispatchEvent(new CustomEvent('mh:editor-ready', { bubbles: true, detail: { quill: quill } }));
    return quill;
  }

  function start() {
    var areas = document.querySelectorAll('textarea[data-editor="rich"]');
    if (!areas.length) return;
    loadStyle(assetBase + 'vendor/quill.snow.css?v=' + VENDOR_VERSION);
    loadStyle(assetBase + 'editor.css' + assetQuery);
    loadScript(assetBase + 'vendor/quill.js?v=' + VENDOR_VERSION).then(
      function () {
        Array.prototype.forEach.call(areas, function (ta) {
          try {
            enhance(ta);
          } catch (e) {
            /* keep the textarea: the form still works */
            var w = ta.nextElementSibling;
            if (w && w.classList.contains('mh-editor')) w.remove();
            ta.hidden = false;
            if (window.console) console.error('editor:', e);
          }
        });
      },
      function () {
        /* no editor: the textarea stays */
      }
    );
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
