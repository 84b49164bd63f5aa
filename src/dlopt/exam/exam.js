// The E資格 questions of dlopt.exam in a page: a chapter's quiz (dloptExamQuiz) and the timed mock
// exam (dloptExamMock). Inlined into each output by dlopt/exam/render.py, so that the page needs no
// kernel, no file and no request; defining the functions twice on one page is harmless.
"use strict";

function dloptExamTypeset(root) {
  var mj = window.MathJax;
  if (mj && mj.typesetPromise) { mj.typesetPromise([root]).catch(function () {}); return; }
  if (mj && mj.Hub) { mj.Hub.Queue(["Typeset", mj.Hub, root]); return; }
  if (mj) {  // MathJax is configured but still loading (the book loads it deferred): typeset once it is
    window.addEventListener("load", function () {
      if (window.MathJax && window.MathJax.typesetPromise) { dloptExamTypeset(root); }
    }, {once: true});
    return;
  }
  if (/googleusercontent\.com$/.test(location.hostname) && !document.getElementById("dlopt-exam-mathjax")) {
    window.MathJax = {tex: {inlineMath: [["\\(", "\\)"]]}};  // a Colab output: load MathJax once, if online
    var s = document.createElement("script");
    s.id = "dlopt-exam-mathjax";
    s.src = "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js";
    document.head.appendChild(s);
  }
}
function dloptExamScriptRuns(root) {  // the hint for a page whose scripts do not run goes away
  root.querySelectorAll(".dlopt-exam-noscript").forEach(function (p) { p.remove(); });
}
function dloptExamAnswer(question, choice, reveal) {
  var answer = Number(question.getAttribute("data-answer"));
  var buttons = question.querySelectorAll(".dlopt-exam-choice");
  buttons.forEach(function (b) {
    b.classList.remove("is-right", "is-wrong");
    b.removeAttribute("aria-pressed");
  });
  if (choice >= 0) {
    question.setAttribute("data-chosen", String(choice));
    buttons[choice].setAttribute("aria-pressed", "true");
  }
  if (!reveal) { buttons[choice].classList.add("is-chosen"); return choice === answer; }
  var verdict = question.querySelector(".dlopt-exam-verdict");
  var right = choice === answer;
  buttons[answer].classList.add("is-right");
  if (!right && choice >= 0) { buttons[choice].classList.add("is-wrong"); }
  verdict.className = "dlopt-exam-verdict " + (right ? "is-right" : "is-wrong");
  verdict.textContent = right ? "正解です。" : (choice >= 0 ? "不正解です。" : "未解答です。");
  question.querySelector(".dlopt-exam-explanation").hidden = false;
  return right;
}
function dloptExamUnchoose(question) {
  question.querySelectorAll(".dlopt-exam-choice").forEach(function (b) { b.classList.remove("is-chosen"); });
}

function dloptExamQuiz(id) {
  var root = document.getElementById(id);
  if (!root || root.getAttribute("data-ready")) { return; }
  root.setAttribute("data-ready", "1");
  dloptExamScriptRuns(root);
  root.querySelectorAll(".dlopt-exam-question").forEach(function (question) {
    question.querySelectorAll(".dlopt-exam-choice").forEach(function (button) {
      button.addEventListener("click", function () {
        dloptExamAnswer(question, Number(button.getAttribute("data-choice")), true);
      });
    });
  });
  dloptExamTypeset(root);
}

function dloptExamMock(id, size, seconds) {
  var root = document.getElementById(id);
  if (!root || root.getAttribute("data-ready")) { return; }
  root.setAttribute("data-ready", "1");
  dloptExamScriptRuns(root);
  var bank = JSON.parse(document.getElementById(id + "-data").textContent);
  var paper = root.querySelector(".dlopt-exam-paper");
  var timer = root.querySelector(".dlopt-exam-timer");
  var start = root.querySelector(".dlopt-exam-start");
  var finish = root.querySelector(".dlopt-exam-finish");
  var result = root.querySelector(".dlopt-exam-result");
  var clock = null, deadline = 0, drawn = [];

  function shuffled(list) {
    var a = list.slice();
    for (var i = a.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1)); var t = a[i]; a[i] = a[j]; a[j] = t;
    }
    return a;
  }
  function draw() {  // whole sets, in random order, until `size` questions
    var units = [], byGroup = {};
    bank.questions.forEach(function (q) {
      if (!q.group) { units.push([q]); }
      else if (byGroup[q.group]) { byGroup[q.group].push(q); }
      else { byGroup[q.group] = [q]; units.push(byGroup[q.group]); }
    });
    var chosen = [], left = size;
    shuffled(units).forEach(function (unit) {
      if (unit.length <= left) { chosen.push(unit); left -= unit.length; }
    });
    return chosen;
  }
  function show(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    timer.textContent = "残り " + m + ":" + (s < 10 ? "0" : "") + s;
    timer.classList.toggle("is-low", seconds <= 300);
  }
  function tick() {
    var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));  // 35:00 for the whole first second
    show(left);
    if (left <= 0) { grade(true); }
  }
  function begin() {
    var html = [], number = 0;
    drawn = [];
    draw().forEach(function (unit) {
      var first = number + 1, last = number + unit.length;
      if (unit[0].group) {
        html.push('<div class="dlopt-exam-context"><p class="dlopt-exam-span">問 ' + first +
          (unit.length > 1 ? "〜" + last : "") + " は次の文脈に基づきます。</p>" + bank.groups[unit[0].group] + "</div>");
      }
      unit.forEach(function (q) {
        number += 1;
        drawn.push(q);
        html.push(q.html.replace("__NUMBER__", String(number)));
      });
    });
    paper.innerHTML = html.join("");
    paper.querySelectorAll(".dlopt-exam-question").forEach(function (question) {
      question.querySelectorAll(".dlopt-exam-choice").forEach(function (button) {
        button.addEventListener("click", function () {
          if (root.getAttribute("data-state") !== "running") { return; }
          dloptExamUnchoose(question);
          dloptExamAnswer(question, Number(button.getAttribute("data-choice")), false);
          root.querySelector(".dlopt-exam-progress").textContent =
            "解答済み " + paper.querySelectorAll("[data-chosen]").length + " / " + drawn.length;
        });
      });
    });
    result.innerHTML = "";
    root.querySelector(".dlopt-exam-progress").textContent = "解答済み 0 / " + drawn.length;
    root.setAttribute("data-state", "running");
    start.textContent = "別の問題で始め直す";
    finish.disabled = false;
    deadline = Date.now() + seconds * 1000;
    show(seconds);
    if (clock) { clearInterval(clock); }
    clock = setInterval(tick, 250);
    dloptExamTypeset(paper);
  }
  function grade(timeUp) {
    if (root.getAttribute("data-state") !== "running") { return; }
    clearInterval(clock); clock = null;
    root.setAttribute("data-state", "graded");
    finish.disabled = true;
    var byChapter = {}, order = [], right = 0;
    paper.querySelectorAll(".dlopt-exam-question").forEach(function (question, i) {
      var chosen = question.hasAttribute("data-chosen") ? Number(question.getAttribute("data-chosen")) : -1;
      dloptExamUnchoose(question);
      var ok = dloptExamAnswer(question, chosen, true);
      var chapter = drawn[i].chapter;
      if (!byChapter[chapter]) { byChapter[chapter] = [0, 0]; order.push(chapter); }
      byChapter[chapter][1] += 1;
      if (ok) { byChapter[chapter][0] += 1; right += 1; }
    });
    order.sort(function (a, b) { return bank.chapters.indexOf(a) - bank.chapters.indexOf(b); });
    var rows = order.map(function (c) {
      var r = byChapter[c];
      return "<tr><td>" + bank.names[c] + "</td><td>" + r[0] + " / " + r[1] + "</td><td>" +
        Math.round(100 * r[0] / r[1]) + "%</td></tr>";
    });
    result.innerHTML = '<p class="dlopt-exam-score">' + (timeUp ? "時間切れです。" : "") + "得点 " + right + " / " +
      drawn.length + "（" + Math.round(100 * right / drawn.length) + "%）</p>" +
      '<table class="dlopt-exam-table dlopt-exam-by-chapter"><thead><tr><th>章</th><th>正解</th><th>正答率</th></tr></thead><tbody>' +
      rows.join("") + "</tbody></table><p>各問の下に正解と解説が出ています。</p>";
    dloptExamTypeset(result);
    result.scrollIntoView({block: "nearest"});
  }
  start.addEventListener("click", begin);
  finish.addEventListener("click", function () { grade(false); });
}
