import { defineCallJourney } from './call-journey';

defineCallJourney('one call, end to end');
