
/* The web app's pair view: passages reachable with the keyboard (Tab to one, Enter or Space to go
   to its counterpart in the other text, which is focused and highlighted), and the two texts
   scrolled together (each pane follows the passage at the top of the other). The hover and click
   linking above comes with the pair view's own script. */
(function(){
  var panes={s:document.getElementById('source'),d:document.getElementById('derivative')};
  if(!panes.s||!panes.d){return;}
  var other={s:'d',d:'s'};
  var hint=document.getElementById('passage-keys');
  function pieces(side,p){return panes[side].querySelectorAll('[data-side="'+side+'"][data-p="'+p+'"]');}
  // Passage ids in reading order on each side (a passage may be cut into several pieces).
  var order={s:[],d:[]};
  ['s','d'].forEach(function(side){
    var seen={};
    panes[side].querySelectorAll('.psg[data-side="'+side+'"]').forEach(function(el){
      if(seen[el.dataset.p]){return;}
      seen[el.dataset.p]=true;
      order[side].push(el.dataset.p);
      el.tabIndex=0;  // one tab stop per passage and side: its first piece
      el.setAttribute('role','link');
      el.setAttribute('aria-keyshortcuts','Enter');
      if(hint){el.setAttribute('aria-describedby','passage-keys');}
    });
  });
  var lit=[];
  function light(side,p){
    lit.forEach(function(x){x.classList.remove('linked');});
    lit=[];
    [side,other[side]].forEach(function(s){
      pieces(s,p).forEach(function(x){x.classList.add('linked');lit.push(x);});
    });
  }
  function go(el){
    var side=other[el.dataset.side], target=pieces(side,el.dataset.p)[0];
    if(!target){return;}
    light(el.dataset.side,el.dataset.p);
    target.focus({preventScroll:true});
    // Centre it in its own pane, then bring the pane into view only as far as needed (on a
    // phone the two panes are stacked: the page should not jump past the other one).
    var pane=panes[side], r=target.getBoundingClientRect(), box=pane.getBoundingClientRect();
    pane.scrollTop+=r.top-box.top-Math.max(0,(pane.clientHeight-r.height)/2);
    pane.scrollIntoView({block:'nearest'});
  }
  document.addEventListener('keydown',function(e){
    var el=e.target;
    if((e.key==='Enter'||e.key===' ')&&el.classList&&el.classList.contains('psg')&&el.dataset.side){
      e.preventDefault();
      go(el);
    }
  });
  document.querySelectorAll('.psg[data-side]').forEach(function(el){
    el.addEventListener('click',function(){light(el.dataset.side,el.dataset.p);});
  });

  // Linked scrolling.
  var box=document.getElementById('linkscroll');
  function edges(side,p){
    var g=pieces(side,p), pane=panes[side], base=pane.getBoundingClientRect().top-pane.scrollTop;
    return [g[0].getBoundingClientRect().top-base, g[g.length-1].getBoundingClientRect().bottom-base];
  }
  function set(pane,y){
    var max=pane.scrollHeight-pane.clientHeight;
    y=Math.round(Math.max(0,Math.min(max,y)));
    if(Math.abs(pane.scrollTop-y)<1){return;}
    pane.dataset.expect=y;
    pane.scrollTop=y;
  }
  function follow(side){
    var from=panes[side], to=panes[other[side]], y=from.scrollTop;
    var room=from.scrollHeight-from.clientHeight;
    if(room>0&&y>=room-1){set(to,to.scrollHeight);return;}
    for(var i=0;i<order[side].length;i++){
      var p=order[side][i];
      if(!pieces(other[side],p).length){continue;}
      var a=edges(side,p);
      if(a[1]<y){continue;}
      var b=edges(other[side],p);
      // Inside the passage: the same fraction of its counterpart; above it: the same distance.
      set(to,y>=a[0]?b[0]+(y-a[0])/Math.max(1,a[1]-a[0])*(b[1]-b[0]):b[0]-(a[0]-y));
      return;
    }
    var rest=to.scrollHeight-to.clientHeight;
    set(to,room>0?y/room*rest:0);
  }
  ['s','d'].forEach(function(side){
    var pane=panes[side], queued=false;
    pane.addEventListener('scroll',function(){
      var expect=pane.dataset.expect;
      delete pane.dataset.expect;
      if(expect!==undefined&&Math.abs(pane.scrollTop-Number(expect))<=1){return;}  // ours
      if((box&&!box.checked)||queued){return;}
      queued=true;
      requestAnimationFrame(function(){queued=false;follow(side);});
    });
  });
})();
