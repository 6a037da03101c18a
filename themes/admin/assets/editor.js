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
      tableHead: 'Header row (on/off)',
      clean: 'Clear formatting',
      undo: 'Undo',
      redo: 'Redo',
      imageTitle: 'Insert image',
      imageUrl: 'Image URL',
      imageAlt: 'Description (alt text)',
      imageCaption: 'Caption (optional; shown under the image)',
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
      align: 'Alignment',
      color: 'Text colour',
      indent: 'Indent',
      outdent: 'Outdent',
      divider: 'Horizontal rule',
      video: 'Video',
      attachment: 'Attach a file from the media library',
      attachTitle: 'Attach a file',
      videoUrl: 'Video address (a file of the media library, /media/...)',
      draftFound: 'A copy of this text saved in this browser is newer than the saved version.',
      restore: 'Restore',
      discard: 'Discard',
      expired: 'Your session has expired. Your text is still here: sign in again in a new window, then save again.',
      signIn: 'Sign in (new window)',
      saveAgain: 'Save again',
      signedIn: 'Signed in again. Save to keep your changes.',
      saveFailed: 'Saving failed. Your text is still here; try again.',
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
      tableHead: '表头行（开/关）',
      clean: '清除格式',
      undo: '撤销',
      redo: '重做',
      imageTitle: '插入图片',
      imageUrl: '图片地址',
      imageAlt: '图片说明（替代文字）',
      imageCaption: '图注（可选，显示在图片下方）',
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
      align: '对齐',
      color: '文字颜色',
      indent: '增加缩进',
      outdent: '减少缩进',
      divider: '水平线',
      video: '视频',
      attachment: '从媒体库添加附件',
      attachTitle: '添加附件',
      videoUrl: '视频地址（媒体库中的文件，/media/...）',
      draftFound: '本浏览器中保存的这篇文字的副本比已保存的版本更新。',
      restore: '恢复',
      discard: '丢弃',
      expired: '登录已过期。您的文字仍在此页：请在新窗口中重新登录，然后再次保存。',
      signIn: '登录（新窗口）',
      saveAgain: '再次保存',
      signedIn: '已重新登录。请保存以保留您的修改。',
      saveFailed: '保存失败。您的文字仍在此页，请重试。',
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
  var FORMATS = ['header', 'bold', 'italic', 'underline', 'link', 'list', 'indent', 'blockquote', 'image', 'table', 'align', 'color', 'size', 'divider', 'mhvideo', 'attachment', 'mhfigure'];

  /* The palette: class names the sanitiser keeps (mh-color-<name>); the
   * public theme's theme.json "colors" gives each its shade. */
  var PALETTE = ['red', 'orange', 'green', 'blue', 'purple', 'gray'];

  /* A pasted colour to the nearest palette name by hue (the sanitiser's
   * rule, src/render/sanitize.c), or '' for ordinary text colours. */
  function paletteName(css) {
    var v = (css || '').trim().toLowerCase().replace(/\s*!important$/, '');
    var named = { red: '#f00', darkred: '#8b0000', maroon: '#800000', crimson: '#dc143c', orange: '#ffa500', green: '#008000', blue: '#00f', navy: '#000080', purple: '#800080', gray: '#808080', grey: '#808080', black: '#000' };
    if (named[v]) v = named[v];
    var rgb;
    var m = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(v);
    if (m) rgb = [m[1] + m[1], m[2] + m[2], m[3] + m[3]].map(function (h) { return parseInt(h, 16); });
    else if ((m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/.exec(v))) rgb = [m[1], m[2], m[3]].map(function (h) { return parseInt(h, 16); });
    else if ((m = /^rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)$/.exec(v))) rgb = [+m[1], +m[2], +m[3]];
    if (!rgb || rgb.some(function (x) { return x > 255; })) return '';
    var mx = Math.max.apply(null, rgb), mn = Math.min.apply(null, rgb), d = mx - mn;
    if (d < 48) return mx >= 64 && mx <= 192 ? 'gray' : '';
    var h = mx === rgb[0] ? (60 * (rgb[1] - rgb[2])) / d : mx === rgb[1] ? 60 * (2 + (rgb[2] - rgb[0]) / d) : 60 * (4 + (rgb[0] - rgb[1]) / d);
    if (h < 0) h += 360;
    if (h < 18 || h >= 330) return 'red';
    if (h < 70) return 'orange';
    if (h < 170) return 'green';
    if (h < 260) return 'blue';
    return 'purple';
  }

  /* Formats of our own, registered once Quill has loaded: colour as a class
   * (Quill's own writes style=""), a horizontal rule, and a <video> of the
   * site's media (Quill's "video" is an iframe). */
  function registerFormats(Quill) {
    if (registerFormats.done) return;
    registerFormats.done = true;
    var Parchment = Quill.import('parchment');
    var ColorClass = new Parchment.ClassAttributor('color', 'mh-color', { scope: Parchment.Scope.INLINE, whitelist: PALETTE });
    /* a notice's title size (Word's 二号 22pt) as mh-size-large */
    var SizeClass = new Parchment.ClassAttributor('size', 'mh-size', { scope: Parchment.Scope.INLINE, whitelist: ['small', 'large'] });
    Quill.register({ 'formats/color': ColorClass, 'attributors/class/color': ColorClass, 'formats/size': SizeClass, 'attributors/class/size': SizeClass }, true);
    var BlockEmbed = Quill.import('blots/block/embed');
    class Divider extends BlockEmbed {}
    Divider.blotName = 'divider';
    Divider.tagName = 'HR';
    class MhVideo extends BlockEmbed {
      static create(value) {
        var node = super.create(value);
        node.setAttribute('src', safeUrl(value));
        node.setAttribute('controls', '');
        return node;
      }
      static value(node) {
        return node.getAttribute('src');
      }
    }
    /* a link to a media-library file: <a class="mh-attachment" href> */
    var Link = Quill.import('formats/link');
    class Attachment extends Link {
      static create(value) {
        var node = super.create(safeUrl(value) || '/');
        node.removeAttribute('target');
        node.removeAttribute('rel');
        return node;
      }
    }
    Attachment.blotName = 'attachment';
    Attachment.className = 'mh-attachment';
    Quill.register({ 'formats/attachment': Attachment }, true);
    /* an image with a caption: <figure><img><figcaption> */
    class MhFigure extends BlockEmbed {
      static create(value) {
        var node = super.create(value);
        var img = document.createElement('img');
        img.setAttribute('src', safeUrl(value && value.src));
        if (value && value.alt) img.setAttribute('alt', value.alt);
        node.appendChild(img);
        var cap = document.createElement('figcaption');
        cap.textContent = (value && value.caption) || '';
        node.appendChild(cap);
        return node;
      }
      static value(node) {
        var img = node.querySelector('img');
        var cap = node.querySelector('figcaption');
        return { src: img ? img.getAttribute('src') : '', alt: img ? img.getAttribute('alt') || '' : '', caption: cap ? cap.textContent : '' };
      }
    }
    MhFigure.blotName = 'mhfigure';
    MhFigure.tagName = 'FIGURE';
    Quill.register({ 'formats/mhfigure': MhFigure }, true);
    MhVideo.blotName = 'mhvideo';
    MhVideo.tagName = 'VIDEO';
    Quill.register({ 'formats/divider': Divider, 'formats/mhvideo': MhVideo }, true);
  }

  /* Attributes that survive in the HTML written back, per element. */
  var KEEP_ATTRS = {
    A: ['href', 'title'],
    IMG: ['src', 'alt', 'width', 'height'],
    VIDEO: ['src', 'controls'],
    TD: ['colspan', 'rowspan'],
    TH: ['colspan', 'rowspan', 'scope'],
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
        if (k === 'attachment' && !safeUrl(op.attributes[k])) return;
        /* links are coloured by the theme (Word marks them blue) */
        if (k === 'color' && (PALETTE.indexOf(op.attributes[k]) < 0 || op.attributes.link)) return;
        if (k === 'size' && op.attributes[k] !== 'large' && op.attributes[k] !== 'small') return;
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
    var c = /(?:^|;)\s*color\s*:\s*([^;]+)/.exec(css);
    if (c && paletteName(c[1])) marks.color = paletteName(c[1]);
    var fs = /(?:^|;)\s*font-size\s*:\s*([0-9.]+)(pt|px)/.exec(css);
    if (fs) {
      var pt = parseFloat(fs[1]) * (fs[2] === 'px' ? 0.75 : 1);
      if (pt >= 20) marks.size = 'large';
      else if (pt > 0 && pt <= 9) marks.size = 'small';
    }
    var al = /(?:^|;)\s*text-align\s*:\s*(center|right|justify)/.exec(css);
    if (al) {
      delta.ops.forEach(function (op) {
        if (typeof op.insert === 'string' && op.insert.slice(-1) === '\n') {
          op.attributes = op.attributes || {};
          if (!('align' in op.attributes)) op.attributes.align = al[1];
        }
      });
    }
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
    if (cls.contains('mh-size-large')) marks.size = 'large';
    if (cls.contains('mh-size-small')) marks.size = 'small';
    PALETTE.forEach(function (c) {
      if (cls.contains('mh-color-' + c)) marks.color = c;
    });
    var ind = /(?:^|\s)mh-indent-([1-8])(?:\s|$)/.exec(node.getAttribute('class') || '');
    if (ind) {
      delta.ops.forEach(function (op) {
        if (typeof op.insert === 'string' && op.insert.slice(-1) === '\n') {
          op.attributes = op.attributes || {};
          if (!('indent' in op.attributes)) op.attributes.indent = +ind[1];
        }
      });
    }
    var align = ['right', 'center', 'justify'].filter(function (a) {
      return cls.contains('mh-align-' + a) || (node.getAttribute('align') || '').toLowerCase() === a;
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
    /* bold: a first row in bold is written back as the header row */
    delta.ops.forEach(function (op) {
      if (typeof op.insert === 'string' && op.insert !== '\n') op.attributes = Object.assign({}, op.attributes, { bold: true });
    });
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
        var classes = [];
        (child.getAttribute('class') || '').split(/\s+/).forEach(function (c) {
          var m;
          /* the sanitiser's names for the editor's alignment and indent */
          if ((m = /^ql-align-(right|center|justify)$/.exec(c))) classes.push('mh-align-' + m[1]);
          else if ((m = /^ql-indent-([1-8])$/.exec(c))) classes.push('mh-indent-' + m[1]);
          else if (/^mh-(color-[a-z]+|size-(large|small)|attachment)$/.test(c)) classes.push(c);
        });
        Array.prototype.slice.call(child.attributes).forEach(function (a) {
          if (keep.indexOf(a.name) < 0) child.removeAttribute(a.name);
        });
        if (classes.length) child.setAttribute('class', classes.join(' '));
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

  /* A table whose first row is bold throughout has a header row: that row
   * becomes <thead> with <th scope="col"> cells (the editor's tables have
   * no header cells of their own; the header-row button makes the first
   * row bold). */
  function headerRows(doc) {
    Array.prototype.forEach.call(doc.querySelectorAll('table'), function (t) {
      var tr = t.querySelector('tr');
      if (!tr || tr.parentNode.tagName === 'THEAD') return;
      var cells = Array.prototype.slice.call(tr.children);
      var bold = cells.length && cells.every(function (c) {
        var text = c.textContent.trim();
        if (!text) return false;
        var inBold = Array.prototype.map.call(c.querySelectorAll('strong'), function (b) {
          return b.textContent;
        }).join('');
        return inBold.replace(/\s+/g, '') === text.replace(/\s+/g, '');
      });
      if (!bold) return;
      var thead = doc.createElement('thead');
      var row = doc.createElement('tr');
      cells.forEach(function (c) {
        var th = doc.createElement('th');
        th.setAttribute('scope', 'col');
        ['colspan', 'rowspan'].forEach(function (a) {
          if (c.hasAttribute(a)) th.setAttribute(a, c.getAttribute(a));
        });
        Array.prototype.forEach.call(c.querySelectorAll('strong'), function (b) {
          while (b.firstChild) b.parentNode.insertBefore(b.firstChild, b);
          b.remove();
        });
        while (c.firstChild) th.appendChild(c.firstChild);
        row.appendChild(th);
      });
      thead.appendChild(row);
      var body = tr.parentNode;
      tr.remove();
      t.insertBefore(thead, t.firstChild);
      if (body !== t && !body.children.length) body.remove();
    });
  }

  function toHTML(quill) {
    if (quill.getLength() <= 1 && !quill.root.querySelector('img, video, hr, figure')) return '';
    /* the editor marks tables with an inline border; drop it before
     * parsing, where the CSP would refuse (and report) it */
    var html = quill.getSemanticHTML().replace(/<table style="[^"]*">/g, '<table>');
    var doc = new DOMParser().parseFromString('<!doctype html><body>' + html, 'text/html');
    cleanNode(doc.body);
    headerRows(doc);
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

  /* A paperclip drawn like Quill's icons (the toolbar's fonts may lack
   * the emoji). */
  function clipIcon() {
    var NS = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', '0 0 18 18');
    var path = document.createElementNS(NS, 'path');
    path.setAttribute('class', 'ql-stroke');
    path.setAttribute('d', 'M12 5.5v6.5a3 3 0 0 1-6 0V4.5a2 2 0 0 1 4 0V11.5a1 1 0 0 1-2 0V6');
    svg.appendChild(path);
    return svg;
  }

  /* Every file of the media library (not only images), for attachments. */
  function fileItems(json) {
    var list = Array.isArray(json) ? json : json && (json.items || json.media || json.files || []);
    return (Array.isArray(list) ? list : [])
      .map(function (m) {
        if (typeof m === 'string') m = { url: m };
        var url = safeUrl(m.url || m.src || m.href);
        return url ? { url: url, name: m.name || m.title || m.filename || url.replace(/^.*\//, '') } : null;
      })
      .filter(Boolean);
  }

  function openAttachmentDialog(ctx, onInsert) {
    var S = ctx.S;
    var dlg = el('dialog', 'mh-editor-dialog');
    dlg.setAttribute('aria-label', S.attachTitle);
    var form = el('form', 'mh-editor-dialog-form');
    form.method = 'dialog';
    form.appendChild(el('h2', 'mh-editor-dialog-title', S.attachTitle));
    var msg = el('p', 'mh-editor-dialog-msg');
    msg.setAttribute('role', 'status');
    form.appendChild(msg);
    var list = el('ul', 'mh-editor-files');
    form.appendChild(list);
    var actions = el('div', 'mh-editor-dialog-actions');
    var cancel = el('button', 'mh-editor-btn', S.cancel);
    cancel.type = 'button';
    actions.appendChild(cancel);
    form.appendChild(actions);
    dlg.appendChild(form);
    document.body.appendChild(dlg);
    function close() {
      dlg.close();
      dlg.remove();
    }
    cancel.addEventListener('click', close);
    dlg.addEventListener('cancel', function (e) {
      e.preventDefault();
      close();
    });
    dlg.showModal();
    var src = (ctx.mediaList || '').replace(/([?&])kind=image(&|$)/, '$1').replace(/[?&]$/, '');
    if (!src) {
      msg.textContent = S.libraryError;
      return;
    }
    fetch(src, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      })
      .then(function (json) {
        var items = fileItems(json);
        if (!items.length) msg.textContent = S.libraryEmpty;
        items.forEach(function (it) {
          var li = el('li');
          var b = el('button', 'mh-editor-btn mh-editor-file', it.name);
          b.type = 'button';
          b.title = it.url;
          b.addEventListener('click', function () {
            close();
            onInsert(it.url, it.name);
          });
          li.appendChild(b);
          list.appendChild(li);
        });
      })
      .catch(function () {
        msg.textContent = S.libraryError;
      });
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

    /* a caption makes the image a <figure> with <figcaption> */
    var capLabel = el('label', 'mh-editor-field');
    capLabel.appendChild(el('span', null, S.imageCaption));
    var caption = el('input');
    caption.type = 'text';
    caption.name = 'caption';
    capLabel.appendChild(caption);
    form.appendChild(capLabel);

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
      onInsert(safe, (a || '').trim(), caption.value.trim());
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

  /* A pasted <video> of a publishable address (its own src or its first
   * <source>) becomes the editor's video; anything else is dropped. */
  function pastedVideo(node) {
    var Delta = window.Quill.import('delta');
    var src = node.getAttribute('src');
    var source = node.querySelector('source[src]');
    if (!src && source) src = source.getAttribute('src');
    src = safeUrl(src);
    return src ? new Delta().insert({ mhvideo: src }) : new Delta();
  }

  /* A figure with a publishable image keeps its caption. */
  function pastedFigure(node) {
    var Delta = window.Quill.import('delta');
    var img = node.querySelector('img');
    var src = img && safeUrl(img.getAttribute('src'));
    if (!src) return new Delta();
    var cap = node.querySelector('figcaption');
    return new Delta().insert({ mhfigure: { src: src, alt: img.getAttribute('alt') || '', caption: cap ? cap.textContent.trim() : '' } });
  }

  function pastedRule() {
    return new (window.Quill.import('delta'))().insert({ divider: true });
  }

  /* ---- never lose work ----
   * 1. A draft copy in localStorage (keyed by the form's address and the
   *    user), written a few seconds after changes; on load, when the copy
   *    was made from the body the server still holds and differs from it,
   *    a notice offers Restore / Discard.
   * 2. Keep-alive: user activity (keys, pointer) is noted; at most every
   *    KEEPALIVE_MS a POST <admin>/session/ping refreshes the session. An
   *    open tab nobody touches sends nothing and expires as usual.
   * 3. Save goes through fetch: a 403 (session expired, or its token no
   *    longer valid) keeps the page and offers signing in again in a new
   *    window (<admin>/login?next=<admin>/session/signed-in, whose page
   *    posts 'mh:signed-in' back); then the new session's CSRF token is
   *    fetched from <admin>/session/csrf and Save can run again. */
  var DRAFT_MS = 3000;
  var KEEPALIVE_MS = 3 * 60 * 1000;

  function keepWork(ta, quill, wrap, S, sync) {
    var form = ta.form;
    if (!form || !adminBase) return;
    var adminPath = new URL(adminBase).pathname;
    var user = ta.getAttribute('data-mh-user') || '';
    var key = 'mh-draft:' + user + ':' + (form.getAttribute('action') || location.pathname);
    var serverBody = ta.value;
    var titleInput = form.querySelector('[name="title"]');
    var store = null;
    try {
      store = window.localStorage;
      store.getItem(key);
    } catch (e) {
      store = null;
    }

    function notice(text, buttons, cls) {
      var old = wrap.parentNode.querySelector('.mh-editor-notice');
      if (old) old.remove();
      var n = el('div', 'mh-editor-notice' + (cls ? ' ' + cls : ''));
      n.setAttribute('role', 'alert');
      n.appendChild(el('p', null, text));
      buttons.forEach(function (b) {
        var btn = el('button', 'mh-editor-btn', b[0]);
        btn.type = 'button';
        btn.addEventListener('click', b[1]);
        n.appendChild(btn);
      });
      wrap.insertAdjacentElement('beforebegin', n);
      return n;
    }

    /* 1. drafts */
    var draftTimer = 0;
    function writeDraft() {
      draftTimer = 0;
      if (!store) return;
      sync();
      try {
        store.setItem(key, JSON.stringify({ html: ta.value, title: titleInput ? titleInput.value : '', base: serverBody, at: Date.now() }));
      } catch (e) {
        /* full or refused: the server copy is all there is */
      }
    }
    quill.on('text-change', function (d, old, source) {
      if (source === 'silent') return;
      if (!draftTimer) draftTimer = setTimeout(writeDraft, DRAFT_MS);
    });
    if (titleInput)
      titleInput.addEventListener('input', function () {
        if (!draftTimer) draftTimer = setTimeout(writeDraft, DRAFT_MS);
      });
    var saved = null;
    try {
      saved = store && JSON.parse(store.getItem(key) || 'null');
    } catch (e) {
      saved = null;
    }
    if (saved && typeof saved.html === 'string') {
      if (saved.base === serverBody && saved.html !== serverBody) {
        var n = notice(S.draftFound, [
          [
            S.restore,
            function () {
              quill.setContents(quill.clipboard.convert({ html: saved.html }), 'user');
              if (titleInput && saved.title) titleInput.value = saved.title;
              n.remove();
            },
          ],
          [
            S.discard,
            function () {
              store.removeItem(key);
              n.remove();
            },
          ],
        ]);
      } else {
        /* saved since (or made from an older version): nothing newer here */
        store.removeItem(key);
      }
    }

    /* 2. keep-alive on activity */
    var active = false;
    var lastPing = Date.now();
    ['keydown', 'pointerdown', 'input'].forEach(function (t) {
      document.addEventListener(t, function () {
        active = true;
        if (Date.now() - lastPing >= KEEPALIVE_MS) ping();
      }, true);
    });
    function ping() {
      if (!active) return;
      active = false;
      lastPing = Date.now();
      fetch(adminBase + 'session/ping', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'X-CSRF-Token': csrfToken(form), Accept: 'application/json' },
      }).catch(function () {});
    }

    /* 3. save without leaving the page on 403 */
    var submitting = false;
    function setToken(tok) {
      Array.prototype.forEach.call(document.querySelectorAll('input[name="_csrf"]'), function (i) {
        i.value = tok;
      });
    }
    function refreshToken() {
      return fetch(adminBase + 'session/csrf', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (r) {
          if (!r.ok) throw new Error(String(r.status));
          return r.json();
        })
        .then(function (j) {
          if (j && j.csrf) setToken(j.csrf);
          return j;
        });
    }
    window.addEventListener('message', function (e) {
      if (e.origin !== location.origin || !e.data || e.data.type !== 'mh:signed-in') return;
      refreshToken().then(function () {
        offerSave(S.signedIn);
      }, function () {});
    });
    function offerSave(text) {
      notice(text, [[S.saveAgain, function () {
        refreshToken().then(save, save);
      }]], 'mh-editor-notice-ok');
    }
    function expired() {
      notice(S.expired, [
        [
          S.signIn,
          function () {
            window.open(adminBase + 'login?next=' + encodeURIComponent(adminPath + 'session/signed-in'), 'mh-signin');
          },
        ],
        [
          S.saveAgain,
          function () {
            refreshToken().then(save, save);
          },
        ],
      ]);
    }
    function save(submitter) {
      if (submitting) return;
      submitting = true;
      writeDraft();
      var fd = new FormData(form, submitter && submitter.form === form ? submitter : undefined);
      /* as the browser would send this form (it has no file inputs) */
      var body = form.enctype === 'multipart/form-data' ? fd : new URLSearchParams(fd);
      /* a control named "action" shadows form.action: read the attribute */
      var target = new URL(form.getAttribute('action') || '', location.href).href;
      fetch(target, { method: 'POST', body: body, credentials: 'same-origin', redirect: 'follow' })
        .then(function (r) {
          submitting = false;
          if (r.status === 403) return expired();
          if (r.ok && r.redirected) {
            location.href = r.url;
            return;
          }
          /* anything else (a form with errors): let the browser show it */
          return r.text().then(function (html) {
            document.open();
            document.write(html);
            document.close();
          });
        })
        .catch(function () {
          submitting = false;
          notice(S.saveFailed, [[S.saveAgain, function () { save(); }]]);
        });
    }
    form.addEventListener('submit', function (e) {
      if (e.defaultPrevented || !window.fetch || !window.FormData) return;
      e.preventDefault();
      sync();
      save(e.submitter);
    });
  }

  function setting(ta, picker, key, fallback) {
    if (key in ta.dataset) return ta.dataset[key];
    if (picker && key in picker.dataset) return picker.dataset[key];
    return fallback || '';
  }

  function enhance(ta) {
    var Quill = window.Quill;
    registerFormats(Quill);
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
      ['bold', 'italic', 'underline', { color: [false].concat(PALETTE) }, { size: ['small', false, 'large'] }],
      [{ align: [] }, { indent: '-1' }, { indent: '+1' }],
      [{ list: 'ordered' }, { list: 'bullet' }, 'blockquote', 'divider'],
      ['link', 'attachment', 'image', 'mhvideo'],
      ['table', 'table-head', 'table-row-add', 'table-col-add', 'table-row-del', 'table-col-del', 'table-del'],
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
            ['script, style, noscript, template, iframe, object, embed, audio, canvas, svg, math, select, button', nothing],
            ['video', pastedVideo],
            ['figure', pastedFigure],
            ['hr', pastedRule],
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
              openImageDialog(ctx, function (url, alt, caption) {
                var at = range ? range.index : quill.getLength() - 1;
                if (caption) {
                  quill.insertEmbed(at, 'mhfigure', { src: url, alt: alt, caption: caption }, 'user');
                  quill.setSelection(at + 1, 0, 'silent');
                } else insertImage(at, url, alt);
              });
            },
            divider: function () {
              var r = quill.getSelection(true);
              quill.insertEmbed(r ? r.index : quill.getLength() - 1, 'divider', true, 'user');
            },
            attachment: function () {
              var range = quill.getSelection(true);
              openAttachmentDialog(ctx, function (url, name) {
                var at = range ? range.index : quill.getLength() - 1;
                var len = range ? range.length : 0;
                if (len) quill.formatText(at, len, 'attachment', url, 'user');
                else {
                  quill.insertText(at, name || url, { attachment: url }, 'user');
                  quill.setSelection(at + (name || url).length, 0, 'silent');
                }
              });
            },
            mhvideo: function () {
              var r = quill.getSelection(true);
              var url = safeUrl(window.prompt(S.videoUrl, '/media/') || '');
              if (url && url !== '/media/') quill.insertEmbed(r ? r.index : quill.getLength() - 1, 'mhvideo', url, 'user');
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
            'table-head': function () {
              var range = quill.getSelection(true);
              var found = range && tableModule().getTable(range);
              var table = found && found[0];
              var first = table && table.children.head && table.children.head.children.head;
              if (!first) return;
              var at = quill.getIndex(first);
              var len = first.length();
              var f = quill.getFormat(at, Math.max(1, len - 1));
              quill.formatText(at, len, 'bold', !f.bold, 'user');
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
      'ql-table-head': S.tableHead,
      'ql-clean': S.clean,
      'ql-divider': S.divider,
      'ql-mhvideo': S.video,
      'ql-attachment': S.attachment,
    };
    Array.prototype.forEach.call(tb.querySelectorAll('button'), function (b) {
      var cls = Array.prototype.filter.call(b.classList, function (c) {
        return labels[c];
      })[0];
      var label = cls ? labels[cls] : b.classList.contains('ql-list') ? (b.value === 'ordered' ? S.ordered : S.bullet) : b.classList.contains('ql-indent') ? (b.value === '+1' ? S.indent : S.outdent) : '';
      if (cls === 'ql-divider') b.textContent = '―';
      if (cls === 'ql-mhvideo') b.textContent = '▶';
      if (cls === 'ql-attachment') b.appendChild(clipIcon());
      if (label) {
        b.title = label;
        b.setAttribute('aria-label', label);
      }
      if (/ql-table-/.test(b.className)) b.classList.add('mh-editor-table-op');
    });
    var headerPicker = tb.querySelector('.ql-header .ql-picker-label');
    if (headerPicker) headerPicker.setAttribute('aria-label', S.header);
    [['.ql-align .ql-picker-label', S.align], ['.ql-color .ql-picker-label', S.color]].forEach(function (x) {
      var e = tb.querySelector(x[0]);
      if (e) e.setAttribute('aria-label', x[1]);
    });

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
    keepWork(ta, quill, wrap, S, sync);
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
