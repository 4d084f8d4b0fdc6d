// The phone request form a step at a time (category, a private situation when chosen, who and
// needs, contact, consent). Without this script the same form is one page and posts the same.
(function () {
  'use strict';
  const form = document.querySelector('form[data-steps]');
  if (!form) return;
  const text = form.dataset;
  const steps = [...form.querySelectorAll('fieldset.step')];
  const privateStep = form.querySelector('fieldset[data-step="private"]');
  const privateChoice = form.querySelector('input[name="category"][data-private]');
  const privateRadios = [...form.querySelectorAll('input[name="private_category"]')];
  let current = steps[0];

  const privateChosen = () => !!(privateChoice && privateChoice.checked);
  const route = () => steps.filter((s) => s !== privateStep || privateChosen());

  function button(label, cls, onClick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'big ' + cls;
    b.textContent = label;
    b.addEventListener('click', onClick);
    return b;
  }

  function show(step, focus) {
    current = step;
    const list = route();
    const n = list.indexOf(step) + 1;
    steps.forEach((s) => { s.hidden = s !== step; });
    step.querySelector('.step-progress').textContent =
      text.progress.replace('{n}', n).replace('{total}', list.length);
    step.querySelector('[data-back]').hidden = n === 1;
    form.dataset.current = step.dataset.step;
    if (focus) {
      step.focus({preventScroll: true});
      form.closest('section').scrollIntoView({block: 'start'});
    }
  }

  function stepValid(step) {
    if (step === privateStep && !privateRadios.some((r) => r.checked)) {
      privateRadios[0].setCustomValidity(text.choose);
      privateRadios[0].reportValidity();
      return false;
    }
    for (const field of step.querySelectorAll('input, select, textarea')) {
      if (!field.checkValidity()) { field.reportValidity(); return false; }
    }
    return true;
  }

  function move(by) {
    const list = route();
    const next = list[list.indexOf(current) + by];
    if (by > 0 && !stepValid(current)) return;
    if (next) show(next, true);
  }

  steps.forEach((step, i) => {
    const progress = document.createElement('p');
    progress.className = 'step-progress';
    progress.setAttribute('aria-live', 'polite');
    step.querySelector('legend').after(progress);
    const nav = document.createElement('div');
    nav.className = 'step-nav';
    const back = button(text.back, '', () => move(-1));
    back.dataset.back = '';
    nav.append(back);
    if (i < steps.length - 1) nav.append(button(text.next, 'primary', () => move(1)));
    else nav.append(step.querySelector('button[type="submit"]'));
    step.append(nav);
  });
  form.classList.add('stepped');

  // A normal category clears a private one picked earlier, so nothing sensitive is sent by mistake.
  form.addEventListener('change', (e) => {
    if (e.target.name === 'category' && !privateChosen()) privateRadios.forEach((r) => { r.checked = false; });
    if (e.target.name === 'private_category') privateRadios[0].setCustomValidity('');
  });
  // Enter in a field goes to the next step, not straight to the server.
  form.addEventListener('submit', (e) => {
    if (current !== steps[steps.length - 1]) { e.preventDefault(); move(1); }
  });
  // A summary link (after a refused submission) opens the step that holds its field.
  document.querySelectorAll('.error-summary a[href^="#"]').forEach((a) => {
    a.addEventListener('click', () => {
      const target = document.getElementById(a.getAttribute('href').slice(1));
      const step = target && target.closest('fieldset.step');
      if (step) show(step, false);
    });
  });
  const firstError = form.querySelector('[aria-invalid="true"], .field-error');
  show((firstError && firstError.closest('fieldset.step')) || steps[0], false);
})();
